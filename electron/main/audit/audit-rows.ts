// Builds `audit_log` rows from what the gateway reports. Everything that could fail or that touches
// untrusted values (redaction, hashing, JSON) happens here, when the write is queued, so that a group
// commit only runs SQL.
import {
  auditDecisionSchema,
  auditEventKindSchema,
  auditOutcomeSchema,
  type AuditDecision,
  type AuditEventKind,
  type AuditOutcome,
} from '../../../shared/schemas/audit.ts';
import { riskSchema, type Risk } from '../../../shared/schemas/policy.ts';
import { canonicalHash } from '../base/canonical-json.ts';
import type { Cell, HashedColumn } from './hash-chain.ts';
import { redactArguments, redactString } from './redact.ts';

/** A tool call as the policy decided it, recorded before it is forwarded. */
export interface CallIntent {
  client: string;
  session: string;
  server: string;
  tool: string;
  requestId: string | number;
  /** The call's arguments as received; redacted before they are stored. */
  args: unknown;
  decision: AuditDecision;
  ruleId?: string;
  risk: Risk;
  /** The person's answer when the decision was `ask`. */
  approvalAnswer?: string;
  approvalMs?: number;
  /** Why the policy decided so, in words. */
  reason?: string;
}

/** How a recorded call ended. */
export interface CallOutcome {
  outcome: AuditOutcome;
  durationMs: number;
  resultBytes?: number;
  error?: string;
}

/** Something audited that is not a tool call: session open/close, configuration changes, approvals, pause. */
export interface AuditEvent {
  kind: AuditEventKind;
  client?: string;
  session?: string;
  server?: string;
  tool?: string;
  requestId?: string | number;
  ruleId?: string;
  decision?: AuditDecision;
  approvalAnswer?: string;
  approvalMs?: number;
  /** Any JSON details (what changed); redacted like arguments. */
  detail?: unknown;
  error?: string;
}

/** A row before it gets its place in the chain (seq and previous hash are assigned at commit). */
export type NewRow = { [K in Exclude<HashedColumn, 'seq' | 'prev_hash'>]: Cell };

/** Per-log values every row carries. */
export interface RowContext {
  runId: string;
  maxArgBytes: number;
}

const MAX_ERROR_CHARS = 4000;
const MAX_NAME_CHARS = 500;

function text(value: string | undefined | null, max = MAX_NAME_CHARS): string | null {
  if (value === undefined || value === null) return null;
  return value.length > max ? `${value.slice(0, max)}…[truncated]` : value;
}

/** Error text from upstreams may quote requests: redact it and keep it short. */
function errorText(value: string | undefined): string | null {
  return value === undefined ? null : text(redactString(value), MAX_ERROR_CHARS);
}

function nonNegative(value: number | undefined, field: string): number | null {
  if (value === undefined) return null;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${field} must be a non-negative number`);
  return value;
}

function check<T extends string>(schema: { options: readonly T[] }, value: T, field: string): T {
  if (!schema.options.includes(value)) throw new TypeError(`${field} "${String(value)}" is not known`);
  return value;
}

function base(ctx: RowContext, kind: string): NewRow {
  return {
    at: new Date().toISOString(),
    run_id: ctx.runId,
    // Wall time can jump; mono_ns orders the rows of one run even then.
    mono_ns: process.hrtime.bigint(),
    kind,
    call_seq: null,
    client: null,
    session: null,
    server: null,
    tool: null,
    request_id: null,
    decision: null,
    rule_id: null,
    risk: null,
    approval_answer: null,
    approval_ms: null,
    args: null,
    args_hash: null,
    outcome: null,
    duration_ms: null,
    result_bytes: null,
    error: null,
    detail: null,
  };
}

/** The intent row of a call. Throws TypeError on a value the log does not know. */
export function intentRow(ctx: RowContext, intent: CallIntent): NewRow {
  return {
    ...base(ctx, 'call'),
    client: text(intent.client),
    session: text(intent.session),
    server: text(intent.server),
    tool: text(intent.tool),
    request_id: text(String(intent.requestId)),
    decision: check(auditDecisionSchema, intent.decision, 'decision'),
    rule_id: text(intent.ruleId),
    risk: check(riskSchema, intent.risk, 'risk'),
    approval_answer: text(intent.approvalAnswer),
    approval_ms: nonNegative(intent.approvalMs, 'approvalMs'),
    args: intent.args === undefined ? null : JSON.stringify(redactArguments(intent.args, ctx.maxArgBytes)),
    // Lets two records be compared for "same arguments" without keeping the arguments themselves.
    args_hash: canonicalHash(intent.args ?? null),
    detail: intent.reason === undefined ? null : JSON.stringify({ reason: redactString(intent.reason) }),
  };
}

/** The outcome row of the call whose intent is `callSeq`. */
export function outcomeRow(ctx: RowContext, callSeq: number | null, outcome: CallOutcome): NewRow {
  if (callSeq !== null && (!Number.isSafeInteger(callSeq) || callSeq < 1)) {
    throw new TypeError('callSeq must be the seq of a recorded intent');
  }
  return {
    ...base(ctx, 'outcome'),
    call_seq: callSeq,
    outcome: check(auditOutcomeSchema, outcome.outcome, 'outcome'),
    duration_ms: nonNegative(outcome.durationMs, 'durationMs'),
    result_bytes: nonNegative(outcome.resultBytes, 'resultBytes'),
    error: errorText(outcome.error),
  };
}

/** An event row. */
export function eventRow(ctx: RowContext, event: AuditEvent): NewRow {
  return {
    ...base(ctx, check(auditEventKindSchema, event.kind, 'kind')),
    client: text(event.client),
    session: text(event.session),
    server: text(event.server),
    tool: text(event.tool),
    request_id: event.requestId === undefined ? null : text(String(event.requestId)),
    decision: event.decision === undefined ? null : check(auditDecisionSchema, event.decision, 'decision'),
    rule_id: text(event.ruleId),
    approval_answer: text(event.approvalAnswer),
    approval_ms: nonNegative(event.approvalMs, 'approvalMs'),
    error: errorText(event.error),
    detail:
      event.detail === undefined ? null : JSON.stringify(redactArguments(event.detail, ctx.maxArgBytes)),
  };
}
