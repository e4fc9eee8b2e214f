import { z } from 'zod';
import { serverNameSchema } from './servers.ts';
import { clientNameSchema } from './clients.ts';

/** The local MCP clients whose config files Gatehouse can write (issue 7). */
export const clientKinds = [
  'claude-code',
  'claude-desktop',
  'cursor',
  'vscode',
  'windsurf',
  'codex',
  'gemini',
] as const;
export const clientKindSchema = z.enum(clientKinds);
export type ClientKind = z.infer<typeof clientKindSchema>;

/** A remote MCP server configured directly in a client, which Gatehouse could take over. */
export const adoptableServerSchema = z.object({
  /** The entry's name in the client's config. */
  entry: z.string(),
  url: z.string(),
  /** Header names the entry sends (values are never shown). */
  headerNames: z.array(z.string()),
});
export type AdoptableServer = z.infer<typeof adoptableServerSchema>;

export const detectedClientSchema = z.object({
  kind: clientKindSchema,
  label: z.string(),
  installed: z.boolean(),
  configPath: z.string(),
  configExists: z.boolean(),
  /** How the client reaches the gateway: directly over HTTP, or through `gatehouse bridge` (stdio). */
  transport: z.enum(['http', 'stdio']),
  /** Servers routed through Gatehouse by entries Gatehouse wrote. */
  connectedServers: z.array(z.string()),
  /** Set when the existing file cannot be read or parsed; it is left untouched. */
  problem: z.string().optional(),
  adoptable: z.array(adoptableServerSchema),
});
export type DetectedClient = z.infer<typeof detectedClientSchema>;

export const connectInputSchema = z.object({
  kind: clientKindSchema,
  /** Servers to connect, each as its own entry; absent = one aggregated entry for `/mcp`. */
  servers: z.array(serverNameSchema).optional(),
});
export type ConnectInput = z.input<typeof connectInputSchema>;

export const connectPreviewSchema = z.object({
  kind: clientKindSchema,
  configPath: z.string(),
  /** The Gatehouse client record the entries use (created on connect when missing). */
  clientName: clientNameSchema,
  /** A unified diff of exactly what connect would change; empty when nothing would. */
  diff: z.string(),
});
export type ConnectPreview = z.infer<typeof connectPreviewSchema>;

export const connectResultSchema = connectPreviewSchema.extend({
  /** The timestamped copy of the file as it was, used by disconnect (absent when the file was new). */
  backupPath: z.string().optional(),
  createdClient: z.boolean(),
});
export type ConnectResult = z.infer<typeof connectResultSchema>;

export const disconnectResultSchema = z.object({
  kind: clientKindSchema,
  configPath: z.string(),
  /** backup: restored byte-for-byte; entries-removed: the file had changed since, so only our entries went. */
  restored: z.enum(['backup', 'entries-removed', 'nothing']),
});
export type DisconnectResult = z.infer<typeof disconnectResultSchema>;

export const adoptInputSchema = z.object({
  kind: clientKindSchema,
  /** Entry names from `adoptable`; each becomes a Gatehouse server and the client is routed through it. */
  entries: z.array(z.string()).min(1),
});
export const adoptResultSchema = z.object({
  added: z.array(serverNameSchema),
  connect: connectResultSchema,
});
export type AdoptResult = z.infer<typeof adoptResultSchema>;
