import type {
  AuditDecision,
  AuditPage,
  AuditQuery,
  AuditRecord,
  AuditRecordKind,
  AuditRecordOutcome,
} from '../../../shared/schemas/audit.ts';
import type { Risk } from '../../../shared/schemas/policy.ts';

/** A prepared statement that returns rows (better-sqlite3's, structurally). */
export interface RowStatement {
  all(params: Record<string, unknown>): unknown[];
}

/** One result row of the query below: a call's intent (or an event) and the call's first outcome. */
interface JoinedRow {
  seq: number;
  at: string;
  kind: string;
  client: string | null;
  session: string | null;
  server: string | null;
  tool: string | null;
  request_id: string | null;
  decision: string | null;
  rule_id: string | null;
  risk: string | null;
  approval_answer: string | null;
  approval_ms: number | null;
  args: string | null;
  detail: string | null;
  i_outcome: string | null;
  i_duration_ms: number | null;
  i_result_bytes: number | null;
  i_error: string | null;
  o_at: string | null;
  o_outcome: string | null;
  o_duration_ms: number | null;
  o_result_bytes: number | null;
  o_error: string | null;
}

/** What the log knows that makes a query cheaper. */
export interface QueryHints {
  /** Every call up to this seq has an outcome (crash recovery ran): `pending` calls are after it. */
  finishedThrough?: number;
}

/** The SQL text and parameters of a query; the text depends only on which filters are set. */
export function buildAuditQuery(
  q: AuditQuery,
  hints: QueryHints = {},
): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit + 1 };
  // The literal terms let SQLite use the partial indexes (audit-db.ts), whose WHERE they repeat.
  if (q.kind === 'call') where.push(`i.kind = 'call'`, `i.kind <> 'outcome'`);
  else if (q.kind === 'event') {
    where.push(`i.kind NOT IN ('call', 'outcome')`, `i.kind <> 'outcome'`);
    if (q.events) {
      where.push(`i.kind IN (${q.events.map((_, n) => `@event${n}`).join(', ')})`);
      q.events.forEach((kind, n) => (params[`event${n}`] = kind));
    }
  } else where.push(`i.kind <> 'outcome'`);
  // Stored times are all toISOString() (UTC, fixed width), so text order is time order.
  if (q.since !== undefined) {
    where.push('i.at >= @since');
    params.since = new Date(q.since).toISOString();
  }
  if (q.until !== undefined) {
    where.push('i.at < @until');
    params.until = new Date(q.until).toISOString();
  }
  for (const column of ['client', 'server', 'tool', 'decision'] as const) {
    if (q[column] === undefined) continue;
    where.push(`i.${column} = @${column}`);
    params[column] = q[column];
  }
  if (q.outcome !== undefined) {
    where.push(`(CASE WHEN i.kind = 'call' THEN coalesce(o.outcome, i.outcome, 'pending') END) = @outcome`);
    params.outcome = q.outcome;
    if (q.outcome === 'pending' && hints.finishedThrough !== undefined) {
      where.push('i.seq > @finishedThrough');
      params.finishedThrough = hints.finishedThrough;
    }
  }
  if (q.text !== undefined) {
    const columns = ['i.tool', 'i.server', 'i.client', 'i.args', 'i.error', 'i.detail', 'o.error'];
    where.push(`(${columns.map((c) => `${c} LIKE @text ESCAPE '\\'`).join(' OR ')})`);
    params.text = `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  if (q.before !== undefined) {
    where.push('i.seq < @before');
    params.before = q.before;
  }
  const sql = `
    SELECT i.seq, i.at, i.kind, i.client, i.session, i.server, i.tool, i.request_id, i.decision,
      i.rule_id, i.risk, i.approval_answer, i.approval_ms, i.args, i.detail,
      i.outcome AS i_outcome, i.duration_ms AS i_duration_ms, i.result_bytes AS i_result_bytes,
      i.error AS i_error, o.at AS o_at, o.outcome AS o_outcome, o.duration_ms AS o_duration_ms,
      o.result_bytes AS o_result_bytes, o.error AS o_error
    FROM audit_log i
    LEFT JOIN audit_log o ON i.kind = 'call' AND o.seq = (
      SELECT min(x.seq) FROM audit_log x WHERE x.kind = 'outcome' AND x.call_seq = i.seq
    )
    WHERE ${where.join(' AND ')}
    ORDER BY i.seq DESC
    LIMIT @limit`;
  return { sql, params };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Only an edited file holds invalid JSON here; show what is there rather than fail the page.
    return text;
  }
}

/** Maps a joined row to what the UI and CLI show. */
export function toAuditRecord(row: JoinedRow): AuditRecord {
  const record: AuditRecord = { seq: row.seq, at: row.at, kind: row.kind as AuditRecordKind };
  const set = <K extends keyof AuditRecord>(key: K, value: AuditRecord[K] | null): void => {
    if (value !== null && value !== undefined) record[key] = value;
  };
  set('client', row.client);
  set('session', row.session);
  set('server', row.server);
  set('tool', row.tool);
  set('requestId', row.request_id);
  set('decision', row.decision as AuditDecision | null);
  set('ruleId', row.rule_id);
  set('risk', row.risk as Risk | null);
  set('approvalAnswer', row.approval_answer);
  set('approvalMs', row.approval_ms);
  if (row.args !== null) record.args = parseJson(row.args) as AuditRecord['args'];
  if (row.kind === 'call') {
    record.outcome = (row.o_outcome ?? row.i_outcome ?? 'pending') as AuditRecordOutcome;
    set('completedAt', row.o_at);
    set('durationMs', row.o_duration_ms ?? row.i_duration_ms);
    set('resultBytes', row.o_result_bytes ?? row.i_result_bytes);
    set('error', row.o_error ?? row.i_error);
  } else {
    set('error', row.i_error);
  }
  if (row.detail !== null) record.detail = parseJson(row.detail) as AuditRecord['detail'];
  return record;
}

/** Runs a query built by {@link buildAuditQuery}: one page, newest first, with the next cursor. */
export function runAuditQuery(
  prepare: (sql: string) => RowStatement,
  q: AuditQuery,
  hints: QueryHints = {},
): AuditPage {
  const { sql, params } = buildAuditQuery(q, hints);
  const rows = prepare(sql).all(params) as JoinedRow[];
  const more = rows.length > q.limit;
  const records = (more ? rows.slice(0, q.limit) : rows).map(toAuditRecord);
  const last = records.at(-1);
  return more && last ? { records, nextBefore: last.seq } : { records };
}
