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
  createdAt: z.iso.datetime(),
});
export type ServerConfig = z.infer<typeof serverConfigSchema>;

/** What the services contract shows of a server, with its live status. */
export const serverViewSchema = serverConfigSchema.extend({
  endpoint: z.string(),
  status: z.enum(['idle', 'connected', 'failing', 'disabled']),
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
});
export type AddServerInput = z.input<typeof addServerInputSchema>;
