import { z } from 'zod';
import { addServerInputSchema, serverNameSchema, serverViewSchema } from '../schemas/servers.ts';
import { clientNameSchema, clientViewSchema, newClientResultSchema } from '../schemas/clients.ts';
import { preferenceKeys, preferencesSchema } from '../schemas/settings.ts';
import { gatewayStatusSchema, liveSessionSchema } from '../schemas/sessions.ts';
import { approvalAnswerSchema, pendingApprovalSchema } from '../schemas/approvals.ts';
import { auditPageSchema, auditQuerySchema, auditVerifySchema } from '../schemas/audit.ts';
import { pauseSchema, ruleInputSchema, ruleSchema } from '../schemas/policy.ts';
import { changeSchema } from '../schemas/changes.ts';
import { loginStatusSchema, startLoginResultSchema } from '../schemas/logins.ts';
import { serverAuthSchema } from '../schemas/servers.ts';
import {
  adoptInputSchema,
  adoptResultSchema,
  clientKindSchema,
  connectInputSchema,
  connectPreviewSchema,
  connectResultSchema,
  detectedClientSchema,
  disconnectResultSchema,
} from '../schemas/connections.ts';

const none = z.undefined();
const ok = z.object({ ok: z.literal(true) });

/**
 * The one services contract every UI uses: channel -> input schema -> output schema.
 * Electron carries it over IPC (preload), the headless host over HTTP (`/api`); pages never know which.
 * One argument per call (GitHub Desktop's typed IPC).
 */
export const servicesContract = {
  'status.get': { input: none, output: gatewayStatusSchema },

  'servers.list': { input: none, output: z.array(serverViewSchema) },
  'servers.add': { input: addServerInputSchema, output: serverViewSchema },
  'servers.remove': { input: z.object({ name: serverNameSchema }), output: ok },
  'servers.setEnabled': { input: z.object({ name: serverNameSchema, enabled: z.boolean() }), output: ok },
  'servers.update': {
    input: z.object({
      name: serverNameSchema,
      url: z.string().optional(),
      trusted: z.boolean().optional(),
      allowInsecureHttp: z.boolean().optional(),
      /** Replaces all secret headers when given. Values are write-only. */
      headers: z.record(z.string(), z.string()).optional(),
      onToolChange: z.enum(['hold', 'ask', 'allow-notify']).optional(),
      auth: serverAuthSchema.optional(),
      /** Write-only; an empty string removes the stored client secret. */
      clientSecret: z.string().max(4096).optional(),
    }),
    output: serverViewSchema,
  },
  /** Connects to the server once (initialize + tools/list) and reports what happened. */
  'servers.test': {
    input: z.object({ name: serverNameSchema }),
    output: z.object({
      ok: z.boolean(),
      tools: z.number().int().nonnegative().optional(),
      serverInfo: z.object({ name: z.string(), version: z.string().optional() }).optional(),
      error: z.string().optional(),
      needsLogin: z.boolean().optional(),
    }),
  },

  'clients.list': { input: none, output: z.array(clientViewSchema) },
  'clients.add': { input: z.object({ name: clientNameSchema }), output: newClientResultSchema },
  'clients.revoke': { input: z.object({ name: clientNameSchema }), output: ok },
  /** Which servers a client may reach (null = all) and which tools it sees (null = all). */
  'clients.update': {
    input: z.object({
      name: clientNameSchema,
      servers: z.array(serverNameSchema).nullable().optional(),
      toolFilter: z.array(z.string().min(1).max(256)).nullable().optional(),
    }),
    output: clientViewSchema,
  },
  'clients.detect': { input: none, output: z.array(detectedClientSchema) },
  'clients.preview': { input: connectInputSchema, output: connectPreviewSchema },
  'clients.connect': { input: connectInputSchema, output: connectResultSchema },
  'clients.disconnect': { input: z.object({ kind: clientKindSchema }), output: disconnectResultSchema },
  'clients.adopt': { input: adoptInputSchema, output: adoptResultSchema },

  'logins.list': { input: none, output: z.array(loginStatusSchema) },
  /** Starts (or joins) the server's login; resolves with the address to open, not when it finishes. */
  'logins.start': { input: z.object({ name: serverNameSchema }), output: startLoginResultSchema },
  /** Revokes at the revocation endpoint when there is one and deletes the tokens. */
  'logins.logout': { input: z.object({ name: serverNameSchema }), output: ok },

  'settings.get': { input: none, output: preferencesSchema },
  'settings.set': {
    input: z.object({ key: z.enum(preferenceKeys), value: z.unknown() }),
    output: preferencesSchema,
  },

  'sessions.list': { input: none, output: z.array(liveSessionSchema) },
  'sessions.terminate': { input: z.object({ id: z.string() }), output: ok },

  'policy.list': { input: none, output: z.array(ruleSchema) },
  'policy.add': { input: ruleInputSchema, output: ruleSchema },
  'policy.remove': { input: z.object({ id: z.string() }), output: ok },
  'policy.pause': {
    input: z.object({
      mode: z.enum(['ask', 'deny']).default('ask'),
      forMinutes: z.number().positive().max(525_600).optional(),
    }),
    output: pauseSchema,
  },
  'policy.resume': { input: none, output: ok },

  'approvals.list': { input: none, output: z.array(pendingApprovalSchema) },
  'approvals.answer': {
    input: z.object({ id: z.string(), answer: approvalAnswerSchema, argumentsHash: z.string().optional() }),
    output: ok,
  },

  'audit.query': { input: auditQuerySchema, output: auditPageSchema },
  'audit.verify': { input: none, output: auditVerifySchema },

  'changes.list': {
    input: z
      .object({ server: z.string().optional(), status: changeSchema.shape.status.optional() })
      .optional(),
    output: z.array(changeSchema),
  },
  'changes.get': { input: z.object({ id: z.string() }), output: changeSchema },
  /** Accept one change, or every pending change of a server. */
  'changes.accept': {
    input: z.union([z.object({ id: z.string() }), z.object({ server: z.string() })]),
    output: z.object({ accepted: z.number().int().nonnegative() }),
  },
  'changes.reject': { input: z.object({ id: z.string() }), output: ok },
} as const;

export type ServicesContract = typeof servicesContract;
export type Channel = keyof ServicesContract;
export type ChannelInput<C extends Channel> = z.input<ServicesContract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<ServicesContract[C]['output']>;

/**
 * What a host implements: one async handler per channel, typed by the contract. Handlers take the
 * contract's *input* type (defaults not yet applied): bridges validate before calling, and in-process
 * callers (tests, the command line) may leave defaulted fields out.
 */
export type ServicesHandlers = {
  [C in Channel]: (input: z.input<ServicesContract[C]['input']>) => Promise<ChannelOutput<C>>;
};
