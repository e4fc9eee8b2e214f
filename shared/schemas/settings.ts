import { z } from 'zod';
import { serverConfigSchema } from './servers.ts';
import { clientRecordSchema } from './clients.ts';

export const SETTINGS_SCHEMA_VERSION = 1;

/** Settings a person may change with `gatehouse config set` or the Settings page. */
export const preferencesSchema = z.object({
  gateway: z
    .object({
      /** 0 asks the system for a free port (tests); a taken port is reported, never silently changed. */
      port: z.number().int().min(0).max(65535).default(7337),
    })
    .prefault({}),
  sessions: z
    .object({
      /** Idle downstream sessions expire and their upstream sessions are deleted. */
      idleMinutes: z
        .number()
        .min(0.01)
        .max(7 * 24 * 60)
        .default(30),
    })
    .prefault({}),
  upstream: z
    .object({
      /** A request without any upstream response or progress for this long is cancelled. */
      timeoutSeconds: z.number().min(1).max(86_400).default(120),
      connectTimeoutSeconds: z.number().min(1).max(300).default(10),
      /** Largest single message accepted from an upstream server. */
      maxMessageMiB: z.number().min(1).max(1024).default(32),
    })
    .prefault({}),
});
export type Preferences = z.infer<typeof preferencesSchema>;

/** The whole settings file (settings.json in the data folder). Secrets never live here. */
export const settingsSchema = preferencesSchema.extend({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION).default(SETTINGS_SCHEMA_VERSION),
  servers: z.array(serverConfigSchema).default([]),
  clients: z.array(clientRecordSchema).default([]),
});
export type Settings = z.infer<typeof settingsSchema>;

/** Dotted keys of preferences, e.g. `gateway.port`, for `gatehouse config`. */
export const preferenceKeys = [
  'gateway.port',
  'sessions.idleMinutes',
  'upstream.timeoutSeconds',
  'upstream.connectTimeoutSeconds',
  'upstream.maxMessageMiB',
] as const;
export type PreferenceKey = (typeof preferenceKeys)[number];
