import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { auditPageSchema, auditRecordSchema, type AuditRecord } from '../../../shared/schemas/audit.ts';
import { AuditWriteError } from '../../../electron/main/audit/audit-log.ts';
import type { AuditDatabase } from '../../../electron/main/audit/audit-db.ts';
import { intent, tick, useAuditFolder } from './audit-fixtures.ts';

describe('AuditLog writes', () => {
  const folder = useAuditFolder();

  it('resolves an intent only once another connection can read it (write-ahead)', async () => {
    const log = folder.open();
    const reader = new Database(folder.file(), { readonly: true });
    const count = () => (reader.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    try {
      const pending = log.writeIntent(intent({ tool: 'first' }));
      // Group commit: nothing is written during the current turn.
      expect(count()).toBe(0);
      const seq = await pending;
      expect(reader.prepare('SELECT tool, kind FROM audit_log WHERE seq = ?').get(seq)).toEqual({
        tool: 'first',
        kind: 'call',
      });
      await log.writeOutcome(seq, { outcome: 'ok', durationMs: 3.5, resultBytes: 120 });
      expect(reader.prepare('SELECT call_seq, outcome FROM audit_log WHERE kind = ?').get('outcome')).toEqual(
        {
          call_seq: seq,
          outcome: 'ok',
        },
      );
    } finally {
      reader.close();
    }
  });

  it('commits the writes of one event-loop turn together, in order, and resolves each with its seq', async () => {
    const log = folder.open();
    const commits: { lastSeq: number; rows: number }[] = [];
    log.onDidCommit((c) => commits.push(c));
    const seqs = await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.writeIntent(intent({ tool: `t${i}` }))),
    );
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(commits).toEqual([{ lastSeq: 50, rows: 50 }]);
    const page = log.query({ limit: 50 });
    expect(page.records.map((r) => r.tool)).toEqual(Array.from({ length: 50 }, (_, i) => `t${49 - i}`));
  });

  it('stores what the issue asks for, with secrets redacted and a hash of the real arguments', async () => {
    const log = folder.open();
    const seq = await log.writeIntent(
      intent({
        client: 'cursor',
        session: 'S1',
        server: 'db',
        tool: 'query',
        requestId: 7,
        args: { sql: 'select 1', password: 'pw-canary', dsn: 'postgres://u:pw-canary2@h/db' },
        decision: 'ask',
        ruleId: 'r_abcdef',
        risk: 'write',
        approvalAnswer: 'allow-once',
        approvalMs: 1234,
        reason: 'asked because writes ask',
      }),
    );
    await log.writeOutcome(seq, {
      outcome: 'tool-error',
      durationMs: 12.25,
      resultBytes: 99,
      error: 'bad Bearer abcdefghijklmnop',
    });
    const record = log.query().records[0]!;
    expect(auditRecordSchema.parse(record)).toEqual(record);
    const { at, completedAt, ...rest } = record;
    expect(Date.parse(completedAt!)).toBeGreaterThanOrEqual(Date.parse(at));
    expect(rest).toEqual({
      seq: 1,
      kind: 'call',
      client: 'cursor',
      session: 'S1',
      server: 'db',
      tool: 'query',
      requestId: '7',
      decision: 'ask',
      ruleId: 'r_abcdef',
      risk: 'write',
      approvalAnswer: 'allow-once',
      approvalMs: 1234,
      args: { sql: 'select 1', password: '[redacted]', dsn: 'postgres://u:[redacted]@h/db' },
      outcome: 'tool-error',
      durationMs: 12.25,
      resultBytes: 99,
      error: 'bad [redacted]',
      detail: { reason: 'asked because writes ask' },
    });
    const raw = new Database(folder.file(), { readonly: true });
    const row = raw.prepare('SELECT * FROM audit_log WHERE seq = 1').get() as Record<string, unknown>;
    raw.close();
    expect(row.args_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof row.run_id).toBe('string');
    expect(typeof row.mono_ns).toBe('number');
    expect(JSON.stringify(row)).not.toContain('canary');
  });

  it('records events and denied calls', async () => {
    const log = folder.open();
    await log.writeEvent({
      kind: 'session-open',
      client: 'claude',
      session: 'S',
      server: 'github',
      detail: { token: 'tok-canary' },
    });
    const denied = await log.writeDenied(intent({ decision: 'deny', ruleId: 'r_denyall' }), {
      durationMs: 0,
      error: 'denied by rule',
    });
    await log.writeEvent({ kind: 'pause', detail: { mode: 'ask' } });
    const all = log.query({ kind: 'all' }).records;
    const withdrawn = await log.writeDenied(intent(), { outcome: 'cancelled', durationMs: 4 });
    expect(log.query({ limit: 1 }).records[0]).toMatchObject({
      seq: withdrawn,
      outcome: 'cancelled',
      durationMs: 4,
    });
    expect(all.map((r) => r.kind)).toEqual(['pause', 'call', 'session-open']);
    expect(all[1]).toMatchObject({
      seq: denied,
      decision: 'deny',
      outcome: 'denied',
      error: 'denied by rule',
    });
    expect(all[2]).toMatchObject({ client: 'claude', detail: { token: '[redacted]' } });
    expect(all[2]).not.toHaveProperty('outcome');
    expect(log.query({ kind: 'event' }).records.map((r) => r.kind)).toEqual(['pause', 'session-open']);
    const sessions = log.query({ kind: 'event', events: ['session-open', 'session-close'] }).records;
    expect(sessions.map((r) => r.kind)).toEqual(['session-open']);
    expect(log.query({ kind: 'event', events: ['resume'] }).records).toEqual([]);
    expect(log.verify()).toEqual({ ok: true, checked: 6 });
  });

  it('rejects invalid records without touching the chain', async () => {
    const log = folder.open();
    await expect(log.writeIntent(intent({ decision: 'maybe' as never }))).rejects.toThrow(
      /decision "maybe" is not known/,
    );
    await expect(log.writeOutcome(0, { outcome: 'ok', durationMs: 1 })).rejects.toBeInstanceOf(
      AuditWriteError,
    );
    await expect(log.writeOutcome(1, { outcome: 'ok', durationMs: -1 })).rejects.toThrow(/durationMs/);
    await expect(log.writeEvent({ kind: 'reboot' as never })).rejects.toThrow(/kind/);
    expect(await log.writeIntent(intent())).toBe(1);
  });

  it('flushes pending writes on close and refuses writes afterwards', async () => {
    const log = folder.open();
    const pending = log.writeIntent(intent({ tool: 'last' }));
    await log.close();
    expect(await pending).toBe(1);
    await expect(log.writeIntent(intent())).rejects.toThrow(/closed/);
    const reopened = folder.open();
    expect(reopened.query().records[0]).toMatchObject({ tool: 'last', outcome: 'interrupted' });
  });
});

describe('AuditLog durability', () => {
  const folder = useAuditFolder();

  it('uses WAL with synchronous NORMAL by default and FULL in durable mode', async () => {
    let db: AuditDatabase | undefined;
    const log = folder.open({ configure: (d) => (db = d) });
    expect(db!.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db!.pragma('synchronous', { simple: true })).toBe(1);
    expect(db!.pragma('busy_timeout', { simple: true })).toBe(2000);
    log.setDurable(true);
    expect(log.durable).toBe(true);
    expect(db!.pragma('synchronous', { simple: true })).toBe(2);
    await log.writeIntent(intent());
    log.setDurable(false);
    expect(db!.pragma('synchronous', { simple: true })).toBe(1);
    await log.close();

    const durable = folder.open({ durable: true, configure: (d) => (db = d) });
    expect(db!.pragma('synchronous', { simple: true })).toBe(2);
    // 1: the first intent, 2: its `interrupted` outcome from recovery, 3: this one.
    expect(await durable.writeIntent(intent())).toBe(3);
    expect(durable.verify()).toEqual({ ok: true, checked: 3 });
  });
});

describe('AuditLog queries', () => {
  const folder = useAuditFolder();

  async function seed() {
    const log = folder.open();
    const write = async (overrides: Parameters<typeof intent>[0], outcome?: 'ok' | 'timeout' | 'denied') => {
      const seq = await log.writeIntent(intent(overrides));
      if (outcome) await log.writeOutcome(seq, { outcome, durationMs: 5 });
      await tick();
      return seq;
    };
    await write({ client: 'claude', server: 'github', tool: 'list_issues' }, 'ok');
    await write(
      { client: 'claude', server: 'github', tool: 'delete_repo', decision: 'ask', risk: 'destructive' },
      'denied',
    );
    const middle = new Date().toISOString();
    await tick();
    await write(
      { client: 'cursor', server: 'github', tool: 'list_issues', args: { query: '100% done_now' } },
      'timeout',
    );
    await write({ client: 'cursor', server: 'fs', tool: 'read_file', args: { path: '/home/me/notes.txt' } });
    await log.writeEvent({
      kind: 'rule-change',
      ruleId: 'r_abcdef',
      detail: { change: 'added', note: 'notes rule' },
    });
    return { log, middle };
  }

  it('filters by client, server, tool, decision and outcome', async () => {
    const { log } = await seed();
    const tools = (q: Parameters<typeof log.query>[0]) => log.query(q).records.map((r) => r.tool);
    expect(tools({ client: 'cursor' })).toEqual(['read_file', 'list_issues']);
    expect(tools({ server: 'github' })).toEqual(['list_issues', 'delete_repo', 'list_issues']);
    expect(tools({ tool: 'list_issues', client: 'claude' })).toEqual(['list_issues']);
    expect(tools({ decision: 'ask' })).toEqual(['delete_repo']);
    expect(tools({ outcome: 'timeout' })).toEqual(['list_issues']);
    expect(tools({ outcome: 'pending' })).toEqual(['read_file']);
    expect(tools({ outcome: 'denied' })).toEqual(['delete_repo']);
    expect(tools({ client: 'nobody' })).toEqual([]);
  });

  it('filters by time range (since inclusive, until exclusive, any offset)', async () => {
    const { log, middle } = await seed();
    expect(log.query({ since: middle }).records.map((r) => r.client)).toEqual(['cursor', 'cursor']);
    expect(log.query({ until: middle }).records.map((r) => r.client)).toEqual(['claude', 'claude']);
    const shifted = new Date(Date.parse(middle)).toISOString().replace('Z', '+00:00');
    expect(log.query({ since: shifted }).records).toHaveLength(2);
    expect(() => log.query({ since: 'yesterday' })).toThrow();
  });

  it('searches free text in tool, server, client, arguments and details, literally', async () => {
    const { log } = await seed();
    expect(log.query({ text: 'NOTES' }).records.map((r) => r.tool)).toEqual(['read_file']);
    expect(log.query({ text: 'notes', kind: 'all' }).records.map((r) => r.kind)).toEqual([
      'rule-change',
      'call',
    ]);
    expect(log.query({ text: '100%' }).records).toHaveLength(1);
    expect(log.query({ text: '%' }).records).toHaveLength(1);
    expect(log.query({ text: 'e_n' }).records).toHaveLength(1);
    expect(log.query({ text: 'delete' }).records.map((r) => r.tool)).toEqual(['delete_repo']);
  });

  it('pages newest first with a cursor, without repeats or gaps', async () => {
    const log = folder.open();
    for (let i = 0; i < 25; i++) await log.writeIntent(intent({ tool: `t${i}` }));
    const seen: number[] = [];
    let before: number | undefined;
    let pages = 0;
    do {
      const page = auditPageSchema.parse(log.query({ limit: 7, before }));
      seen.push(...page.records.map((r) => r.seq));
      before = page.nextBefore;
      pages++;
    } while (before !== undefined);
    expect(pages).toBe(4);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    expect(log.query({ limit: 25 }).nextBefore).toBeUndefined();
    expect(() => log.query({ limit: 0 })).toThrow();
    expect(() => log.query({ limit: 1001 })).toThrow();
  });

  it('exports every matching record as JSON Lines and as CSV that parse back', async () => {
    const { log } = await seed();
    await log.writeIntent(intent({ tool: '=cmd|calc', args: { text: 'a, "quoted"\nline two' } }));
    const all = collect(log, { kind: 'all', limit: 1 }, 'jsonl');
    const expected = log.query({ kind: 'all', limit: 1000 }).records;
    expect(
      all
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditRecord),
    ).toEqual(expected);

    const csv = parseCsv(collect(log, { kind: 'all' }, 'csv'));
    const [header, ...rows] = csv;
    expect(header).toEqual(
      expect.arrayContaining(['seq', 'at', 'kind', 'tool', 'outcome', 'args', 'detail']),
    );
    expect(rows).toHaveLength(expected.length);
    const column = (name: string) => header!.indexOf(name);
    const first = rows[0]!;
    expect(first[column('tool')]).toBe(`'=cmd|calc`);
    expect(JSON.parse(first[column('args')]!)).toEqual({ text: 'a, "quoted"\nline two' });
    expect(rows.map((r) => Number(r[column('seq')]))).toEqual(expected.map((r) => r.seq));
    expect(rows.find((r) => r[column('kind')] === 'rule-change')![column('detail')]).toContain('notes rule');
  });
});

function collect(
  log: { export: (q: object, f: 'jsonl' | 'csv', w: (s: string) => void) => number },
  q: object,
  format: 'jsonl' | 'csv',
) {
  let out = '';
  log.export(q, format, (chunk) => (out += chunk));
  return out;
}

/** A strict RFC 4180 parser (CRLF rows, quoted fields with doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (quoted && c === '"' && next === '"') {
      field += '"';
      i += 2;
    } else if (quoted && c === '"') {
      quoted = false;
      i++;
    } else if (quoted) {
      field += c;
      i++;
    } else if (c === '"') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' && next === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      field += c;
      i++;
    }
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}
