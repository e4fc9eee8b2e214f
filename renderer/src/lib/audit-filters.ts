import type { AuditQueryInput } from '../../../shared/schemas/audit.ts';
import { auditDecisionSchema, auditRecordOutcomeSchema } from '../../../shared/schemas/audit.ts';
import { localInputToIso } from './time-format.ts';

/** The filter fields as typed. */
export interface FilterDraft {
  range: string;
  from: string;
  to: string;
  client: string;
  server: string;
  tool: string;
  decision: string;
  outcome: string;
  text: string;
  kind: 'call' | 'event' | 'all';
}

export const emptyFilters: FilterDraft = {
  range: '',
  from: '',
  to: '',
  client: '',
  server: '',
  tool: '',
  decision: '',
  outcome: '',
  text: '',
  kind: 'call',
};

/** The draft as an `audit.query` input (without paging). */
export function queryFromFilters(draft: FilterDraft, now: number): AuditQueryInput {
  const query: AuditQueryInput = { kind: draft.kind };
  if (draft.range === 'custom') {
    const since = localInputToIso(draft.from);
    const until = localInputToIso(draft.to);
    if (since) query.since = since;
    if (until) query.until = until;
  } else if (draft.range) {
    query.since = new Date(now - Number(draft.range) * 60_000).toISOString();
  }
  for (const key of ['client', 'server', 'tool', 'text'] as const) {
    const value = draft[key].trim();
    if (value) query[key] = value;
  }
  if (draft.decision) query.decision = auditDecisionSchema.parse(draft.decision);
  if (draft.outcome) query.outcome = auditRecordOutcomeSchema.parse(draft.outcome);
  return query;
}
