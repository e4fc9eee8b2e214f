import { z } from 'zod';

/** A server name is a slug: it is the endpoint path `/mcp/<name>` and a namespace prefix. */
export const serverNameSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, {
  message: 'use 1-48 lowercase letters, digits or dashes, starting and ending with a letter or digit',
});

/** Header names an upstream may receive from Gatehouse; the values are secrets kept outside settings. */
export const headerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/, { message: 'not a valid HTTP header name' })
  .refine((name) => !FORBIDDEN_HEADERS.has(name.toLowerCase()), {
    message: 'this header is set by Gatehouse itself',
  });

const FORBIDDEN_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'accept',
  'connection',
  'transfer-encoding',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
]);

/** How Gatehouse logs in to a server that asks for OAuth (issue 4). Client secrets live in the secret store. */
export const serverAuthSchema = z.object({
  /** A client id the person registered by hand with the server's authorization server. */
  clientId: z.string().min(1).max(512).optional(),
  /** A Client ID Metadata Document URL (https) used as the client id when the authorization server supports it. */
  clientMetadataUrl: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
  /** Scopes to ask for when the server's challenge names none (else `scopes_supported`). */
  scopes: z
    .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, { message: 'not a valid OAuth scope' }))
    .default([]),
  /** Extra authorization request parameters, e.g. `access_type=offline`, `prompt=consent`. */
  authParams: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), z.string().max(1024)).default({}),
  /** Named opt-in: log in even when the authorization server's metadata does not list PKCE S256 (S256 is still sent). */
  allowMissingS256: z.boolean().default(false),
});
export type ServerAuth = z.infer<typeof serverAuthSchema>;

/** One remote MCP server as stored in settings (no secrets here). */
export const serverConfigSchema = z.object({
  name: serverNameSchema,
  url: z.url({ protocol: /^https?$/ }),
  enabled: z.boolean().default(true),
  /** Annotations from an untrusted server can only tighten policy (MCP 2025-11-25 tools: annotations are hints). */
  trusted: z.boolean().default(true),
  /** Names of the secret headers sent upstream; the values live in the secret store. */
  headerNames: z.array(headerNameSchema).default([]),
  /** Named opt-in for plain http:// to a non-loopback host (architecture.md convention 10). */
  allowInsecureHttp: z.boolean().default(false),
  /** What a changed tool definition does until reviewed: hidden and refused, asked on each call, or allowed with a notice. */
  onToolChange: z.enum(['hold', 'ask', 'allow-notify']).default('hold'),
  auth: serverAuthSchema.prefault({}),
  createdAt: z.iso.datetime(),
});
export type ServerConfig = z.infer<typeof serverConfigSchema>;

export const serverStatusSchema = z.enum(['idle', 'connected', 'failing', 'needs-login', 'disabled']);
export type ServerStatus = z.infer<typeof serverStatusSchema>;

/** What the services contract shows of a server, with its live status. */
export const serverViewSchema = serverConfigSchema.extend({
  endpoint: z.string(),
  status: serverStatusSchema,
  lastError: z.string().optional(),
  liveSessions: z.number().int().nonnegative(),
});
export type ServerView = z.infer<typeof serverViewSchema>;

export const addServerInputSchema = z.object({
  name: serverNameSchema,
  url: z.string(),
  headers: z.record(headerNameSchema, z.string().min(1).max(8192)).default({}),
  trusted: z.boolean().default(true),
  allowInsecureHttp: z.boolean().default(false),
  onToolChange: z.enum(['hold', 'ask', 'allow-notify']).default('hold'),
  auth: serverAuthSchema.prefault({}),
  /** Write-only: kept in the secret store, never shown again. */
  clientSecret: z.string().min(1).max(4096).optional(),
});
export type AddServerInput = z.input<typeof addServerInputSchema>;
