import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AuditReader } from '../../../electron/main/audit/audit-reader.ts';
import { intent, useAuditFolder } from './audit-fixtures.ts';

describe('AuditReader', () => {
  const folder = useAuditFolder();

  it('reads a log that a server is writing, without touching its running calls or its chain', async () => {
    const log = folder.open();
    const done = await log.writeIntent(intent({ tool: 'done' }));
    await log.writeOutcome(done, { outcome: 'ok', durationMs: 1 });
    const running = await log.writeIntent(intent({ tool: 'running' }));

    const reader = AuditReader.open({ file: folder.file() });
    try {
      expect(reader.query().records.map((r) => [r.tool, r.outcome])).toEqual([
        ['running', 'pending'],
        ['done', 'ok'],
      ]);
      expect(reader.query({ outcome: 'pending' }).records.map((r) => r.seq)).toEqual([running]);
      expect(reader.verify()).toEqual({ ok: true, checked: 3 });
      let lines = 0;
      expect(reader.export({}, 'jsonl', () => lines++)).toBe(2);
      expect(lines).toBe(2);

      // The server goes on writing; the reader sees it and the chain stays whole.
      await log.writeOutcome(running, { outcome: 'ok', durationMs: 5 });
      expect(reader.query().records[0]).toMatchObject({ tool: 'running', outcome: 'ok' });
      expect(reader.verify()).toEqual({ ok: true, checked: 4 });
      expect(log.verify()).toEqual({ ok: true, checked: 4 });
    } finally {
      reader.close();
    }
  });

  it('refuses a missing file, a database that is not an audit log, and one from a newer Gatehouse', async () => {
    expect(() => AuditReader.open({ file: folder.file() })).toThrow();
    const other = new Database(folder.file());
    other.exec('CREATE TABLE t (a)');
    other.close();
    expect(() => AuditReader.open({ file: folder.file() })).toThrow(/not a Gatehouse audit log/);

    const log = folder.open();
    await log.close();
    const db = new Database(folder.file());
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (99, ?)').run(
      new Date().toISOString(),
    );
    db.close();
    expect(() => AuditReader.open({ file: folder.file() })).toThrow(/newer than this Gatehouse/);
  });

  it('cannot write', async () => {
    const log = folder.open();
    await log.writeIntent(intent());
    const reader = AuditReader.open({ file: folder.file() });
    try {
      expect(() => reader.prepare(`DELETE FROM audit_log`).run()).toThrow(/readonly/);
    } finally {
      reader.close();
    }
  });
});
