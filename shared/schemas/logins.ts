import { z } from 'zod';
import { serverNameSchema } from './servers.ts';

/**
 * A server's OAuth login as the Logins page shows it. Never carries a token: only who, which scopes and
 * until when.
 */
export const loginStatusSchema = z.discriminatedUnion('state', [
  /** The server has not asked for a login (no 401 seen, no tokens stored). */
  z.object({ server: serverNameSchema, state: z.literal('not-required') }),
  z.object({
    server: serverNameSchema,
    state: z.literal('logged-in'),
    issuer: z.string(),
    /** The account, from the ID token or the token response, when the server says. */
    account: z.string().optional(),
    scopes: z.array(z.string()),
    /** When the access token expires; a refresh token renews it without the person. */
    expiresAt: z.iso.datetime().optional(),
    refreshable: z.boolean(),
  }),
  /** A login is running: the person finishes it in the browser at this address. */
  z.object({ server: serverNameSchema, state: z.literal('in-progress'), authorizationUrl: z.string() }),
  z.object({ server: serverNameSchema, state: z.literal('needs-login'), reason: z.string() }),
  z.object({ server: serverNameSchema, state: z.literal('error'), reason: z.string() }),
]);
export type LoginStatus = z.infer<typeof loginStatusSchema>;

export const startLoginResultSchema = z.object({
  /** Open this in the browser (Electron: shell.openExternal; headless: printed; browser UI: a link). */
  authorizationUrl: z.string(),
});
export type StartLoginResult = z.infer<typeof startLoginResultSchema>;
