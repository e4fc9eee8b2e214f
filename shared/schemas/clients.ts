import { z } from 'zod';
import { serverNameSchema } from './servers.ts';

export const clientNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  message: 'use 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
});

/** A local MCP client allowed to use the gateway. Only a hash of its token is stored. */
export const clientRecordSchema = z.object({
  name: clientNameSchema,
  /** SHA-256 (hex) of the bearer token. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().optional(),
  /** Servers this client may reach; absent = all. A forbidden server is 403 on its endpoint and absent from `/mcp`. */
  servers: z.array(serverNameSchema).optional(),
  /** Tool-name globs (e.g. `github__*`) this client sees; absent = all. Keeps the model's context small. */
  toolFilter: z.array(z.string().min(1).max(256)).optional(),
});
export type ClientRecord = z.infer<typeof clientRecordSchema>;

export const clientViewSchema = clientRecordSchema.omit({ tokenHash: true }).extend({
  active: z.boolean(),
  liveSessions: z.number().int().nonnegative(),
});
export type ClientView = z.infer<typeof clientViewSchema>;

export const newClientResultSchema = z.object({
  name: clientNameSchema,
  /** Shown once; Gatehouse keeps only its hash. */
  token: z.string(),
});
export type NewClientResult = z.infer<typeof newClientResultSchema>;
