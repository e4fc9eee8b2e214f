import { z } from 'zod';
import { riskSchema } from './policy.ts';

/** How a tool call ended. `denied` is a call the policy or a person refused (never forwarded). */
export const auditOutcomeSchema = z.enum([
  'ok',
  'tool-error',
  'protocol-error',
  'timeout',
  'cancelled',
  'upstream-failure',
  'interrupted',
  'denied',
]);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

/** A call's outcome as shown: `pending` while the call runs (its intent is recorded, its outcome not yet). */
export const auditRecordOutcomeSchema = z.union([auditOutcomeSchema, z.literal('pending')]);
export type AuditRecordOutcome = z.infer<typeof auditRecordOutcomeSchema>;

/** What the policy decided for a call. */
export const auditDecisionSchema = z.enum(['allow', 'deny', 'ask', 'hide']);
export type AuditDecision = z.infer<typeof auditDecisionSchema>;

/** Audited things that are not tool calls. */
export const auditEventKindSchema = z.enum([
  'session-open',
  'session-close',
  'server-change',
  'client-change',
  'rule-change',
  'setting-change',
  'approval',
  'pause',
  'resume',
  'change-detected',
  'change-reviewed',
  'notice',
]);
export type AuditEventKind = z.infer<typeof auditEventKindSchema>;

/** The kind of a shown record: a tool call or an event. */
export const auditRecordKindSchema = z.union([z.literal('call'), auditEventKindSchema]);
export type AuditRecordKind = z.infer<typeof auditRecordKindSchema>;

const name = z.string().min(1).max(200);

/**
 * A search of the audit log (UI, CLI). `since` is inclusive, `until` exclusive. Results are newest
 * first; `before` is the cursor of the next page (a record's `seq`, from {@link auditPageSchema}).
 */
export const auditQuerySchema = z.object({
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  client: name.optional(),
  server: name.optional(),
  tool: name.optional(),
  decision: auditDecisionSchema.optional(),
  outcome: auditRecordOutcomeSchema.optional(),
  /** Substring (case-insensitive for ASCII) of the tool, server, client, arguments, error or detail. */
  text: z.string().min(1).max(200).optional(),
  kind: z.enum(['call', 'event', 'all']).default('call'),
  /** With `kind: 'event'`: only these kinds of event (e.g. session opens and closes). */
  events: z.array(auditEventKindSchema).min(1).max(auditEventKindSchema.options.length).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  before: z.number().int().positive().optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
/** A query as callers write it (defaults not yet applied). */
export type AuditQueryInput = z.input<typeof auditQuerySchema>;

/** One audited call (its intent joined with its outcome) or event, as the UI and CLI show it. */
export const auditRecordSchema = z.object({
  seq: z.number().int().positive(),
  /** Wall time the call arrived or the event happened (ISO, UTC). */
  at: z.iso.datetime(),
  kind: auditRecordKindSchema,
  client: z.string().optional(),
  session: z.string().optional(),
  server: z.string().optional(),
  tool: z.string().optional(),
  requestId: z.string().optional(),
  decision: auditDecisionSchema.optional(),
  ruleId: z.string().optional(),
  risk: riskSchema.optional(),
  approvalAnswer: z.string().optional(),
  approvalMs: z.number().nonnegative().optional(),
  /** The arguments with secrets redacted and long values truncated. */
  args: z.json().optional(),
  /** Calls only. */
  outcome: auditRecordOutcomeSchema.optional(),
  /** When the outcome was recorded (calls only). */
  completedAt: z.iso.datetime().optional(),
  durationMs: z.number().nonnegative().optional(),
  resultBytes: z.number().int().nonnegative().optional(),
  error: z.string().optional(),
  detail: z.json().optional(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

/** One page of query results; `nextBefore` is absent on the last page. */
export const auditPageSchema = z.object({
  records: z.array(auditRecordSchema),
  nextBefore: z.number().int().positive().optional(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

/** The result of checking the hash chain (`gatehouse audit verify`). */
export const auditVerifySchema = z.object({
  ok: z.boolean(),
  /** Records checked. */
  checked: z.number().int().nonnegative(),
  /** The first record that is missing, edited or out of place, and why. */
  firstBroken: z.object({ seq: z.number().int().nonnegative(), reason: z.string() }).optional(),
});
export type AuditVerify = z.infer<typeof auditVerifySchema>;
