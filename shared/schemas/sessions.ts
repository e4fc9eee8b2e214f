import { z } from 'zod';
import { pauseSchema } from './policy.ts';

/** A live downstream MCP session as the Sessions page shows it. */
export const liveSessionSchema = z.object({
  id: z.string(),
  client: z.string(),
  clientInfo: z.object({ name: z.string(), version: z.string().optional() }),
  server: z.string(),
  protocolVersion: z.string(),
  transport: z.enum(['streamable-http', 'legacy-sse']),
  startedAt: z.iso.datetime(),
  lastActivityAt: z.iso.datetime(),
  requests: z.number().int().nonnegative(),
  inFlight: z.number().int().nonnegative(),
});
export type LiveSession = z.infer<typeof liveSessionSchema>;

export const gatewayStatusSchema = z.object({
  state: z.enum(['starting', 'listening', 'stopped', 'error']),
  url: z.string().optional(),
  port: z.number().int().optional(),
  error: z.string().optional(),
  dataDir: z.string(),
  sessions: z.number().int().nonnegative(),
  servers: z.number().int().nonnegative(),
  settingsProblem: z.string().optional(),
  /** The pause of writes in force, if any (an ended pause is not shown). */
  pause: pauseSchema.optional(),
});
export type GatewayStatus = z.infer<typeof gatewayStatusSchema>;
