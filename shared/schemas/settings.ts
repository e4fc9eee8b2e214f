import { z } from 'zod';
import { serverConfigSchema } from './servers.ts';
import { clientRecordSchema } from './clients.ts';
import { pauseSchema, ruleSchema } from './policy.ts';

export const SETTINGS_SCHEMA_VERSION = 1;

/** Settings a person may change with `gatehouse config set` or the Settings page. */
const defaultAction = z.enum(['allow', 'ask', 'deny']);

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
  policy: z
    .object({
      /** What a call does when no rule matches, by the tool's risk class. */
      defaults: z
        .object({
          read: defaultAction.default('allow'),
          write: defaultAction.default('ask'),
          destructive: defaultAction.default('ask'),
          unknown: defaultAction.default('ask'),
        })
        .prefault({}),
    })
    .prefault({}),
  approvals: z
    .object({
      /** An unanswered approval is denied after this long. */
      timeoutSeconds: z.number().int().min(5).max(3600).default(120),
    })
    .prefault({}),
  pinning: z
    .object({
      /** A tool a known server adds later: held until reviewed, or allowed with a notice. */
      newTools: z.enum(['hold', 'allow-notify']).default('hold'),
      /** Every enabled server is listed this often, also with no client connected (0 = never). */
      relistMinutes: z
        .number()
        .min(0)
        .max(24 * 60)
        .default(15),
    })
    .prefault({}),
  audit: z
    .object({
      /** Records older than this are pruned (verification keeps working). */
      retentionDays: z.number().int().min(1).max(3650).default(90),
      /** synchronous=FULL (fullfsync on macOS): no acknowledged record lost even on power loss. */
      durable: z.boolean().default(false),
    })
    .prefault({}),
  app: z
    .object({
      /** Start the desktop app at login (login items / registry / autostart entry). */
      startAtLogin: z.boolean().default(false),
      theme: z.enum(['system', 'light', 'dark']).default('system'),
    })
    .prefault({}),
});
export type Preferences = z.infer<typeof preferencesSchema>;

/** The whole settings file (settings.json in the data folder). Secrets never live here. */
export const settingsSchema = preferencesSchema.extend({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION).default(SETTINGS_SCHEMA_VERSION),
  servers: z.array(serverConfigSchema).default([]),
  clients: z.array(clientRecordSchema).default([]),
  rules: z.array(ruleSchema).default([]),
  /** Present while writes are paused. */
  pause: pauseSchema.optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

/** Dotted keys of preferences, e.g. `gateway.port`, for `gatehouse config`. */
export const preferenceKeys = [
  'gateway.port',
  'sessions.idleMinutes',
  'upstream.timeoutSeconds',
  'upstream.connectTimeoutSeconds',
  'upstream.maxMessageMiB',
  'policy.defaults.read',
  'policy.defaults.write',
  'policy.defaults.destructive',
  'policy.defaults.unknown',
  'approvals.timeoutSeconds',
  'pinning.newTools',
  'pinning.relistMinutes',
  'audit.retentionDays',
  'audit.durable',
  'app.startAtLogin',
  'app.theme',
] as const;
export type PreferenceKey = (typeof preferenceKeys)[number];

/** Reads a dotted preference key, e.g. `policy.defaults.write`. */
export function readPreference(prefs: Preferences, key: PreferenceKey): unknown {
  let value: unknown = prefs;
  for (const part of key.split('.')) value = (value as Record<string, unknown>)[part];
  return value;
}

/** Writes a dotted preference key into a settings draft (the schema checks the result). */
export function writePreference(draft: Preferences, key: PreferenceKey, value: unknown): void {
  const parts = key.split('.');
  let target = draft as unknown as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>;
  target[parts.at(-1)!] = value;
}

/** Just the preferences of a settings object (every section `gatehouse config` can change). */
export function preferencesOf(settings: Settings): Preferences {
  const picked: Record<string, unknown> = {};
  for (const section of Object.keys(preferencesSchema.shape))
    picked[section] = settings[section as keyof Preferences];
  return picked as Preferences;
}

/** Whether two settings differ in their preferences, or in what decides calls (rules, pause). */
export function settingsDiffer(a: Settings, b: Settings, part: 'preferences' | 'policy'): boolean {
  const pick = (s: Settings) => (part === 'preferences' ? preferencesOf(s) : [s.rules, s.pause]);
  return JSON.stringify(pick(a)) !== JSON.stringify(pick(b));
}
