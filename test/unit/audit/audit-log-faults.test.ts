import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AuditWriteError } from '../../../electron/main/audit/audit-log.ts';
import type { AuditDatabase } from '../../../electron/main/audit/audit-db.ts';
import { intent, useAuditFolder } from './audit-fixtures.ts';

/** Arguments too big for the free space of a page, so an insert must grow the file. */
const bulky = () => intent({ args: { text: Array.from({ length: 1500 }, (_, i) => `w${i}`).join(' ') } });

describe('AuditLog fails closed', () => {
  const folder = useAuditFolder();

  function openWithHandle(options = {}) {
    let db: AuditDatabase | undefined;
    const log = folder.open({ ...options, configure: (d) => (db = d) });
    return { log, db: () => db! };
  }

  it('rejects the intent with a clear AuditWriteError when the disk is full, then recovers', async () => {
    const { log, db } = openWithHandle();
    const failures: AuditWriteError[] = [];
    log.onDidFailWrite((e) => failures.push(e));
    const first = await log.writeIntent(intent());
    // Disk full, as SQLite sees it: the file may not grow.
    db().pragma(`max_page_count = ${String(db().pragma('page_count', { simple: true }))}`);

    const refused = log.writeIntent(bulky());
    const outcome = log.writeOutcome(first, { outcome: 'ok', durationMs: 1, error: 'x'.repeat(3000) });
    await expect(refused).rejects.toBeInstanceOf(AuditWriteError);
    await expect(refused).rejects.toMatchObject({
      message: 'the audit log cannot be written: database or disk is full',
      code: 'SQLITE_FULL',
    });
    await expect(outcome).rejects.toBeInstanceOf(AuditWriteError);
    expect(failures).toHaveLength(1);
    expect(log.query().records[0]).toMatchObject({ seq: first, outcome: 'pending' });

    // Still full: the next write fails too, and nothing has been half-written.
    await expect(log.writeIntent(bulky())).rejects.toBeInstanceOf(AuditWriteError);
    expect(log.verify()).toEqual({ ok: true, checked: 1 });

    // Space again: writes work, the retried outcome lands, the refused intent does not (its call was denied).
    db().pragma('max_page_count = 1073741823');
    const next = await log.writeIntent(bulky());
    expect(next).toBe(3);
    const records = log.query().records;
    expect(records.map((r) => [r.seq, r.outcome])).toEqual([
      [3, 'pending'],
      [1, 'ok'],
    ]);
    expect(log.verify()).toEqual({ ok: true, checked: 3 });
  });

  it('rejects when another program holds the write lock beyond busy_timeout, then recovers', async () => {
    const { log } = openWithHandle({ busyTimeoutMs: 50 });
    await log.writeIntent(intent());
    const other = new Database(folder.file());
    try {
      other.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      await expect(log.writeIntent(intent())).rejects.toMatchObject({
        name: 'AuditWriteError',
        message: 'the audit log cannot be written: the database is locked by another program',
        code: 'SQLITE_BUSY',
      });
      expect(performance.now() - started).toBeLessThan(1000);
      other.exec('COMMIT');
    } finally {
      other.close();
    }
    expect(await log.writeIntent(intent())).toBe(2);
    expect(log.verify()).toEqual({ ok: true, checked: 2 });
  });

  it('rejects when the database is read-only, then recovers', async () => {
    const { log, db } = openWithHandle();
    db().pragma('query_only = 1');
    const error = await log.writeIntent(intent()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditWriteError);
    expect((error as AuditWriteError).message).toBe(
      'the audit log cannot be written: the database file or its folder is read-only',
    );
    expect((error as AuditWriteError).code).toMatch(/^SQLITE_READONLY/);
    db().pragma('query_only = 0');
    expect(await log.writeIntent(intent())).toBe(1);
  });

  it('follows the end of the log if something else appended, instead of failing forever', async () => {
    const { log } = openWithHandle();
    await log.writeIntent(intent());
    const other = new Database(folder.file());
    other
      .prepare(
        `INSERT INTO audit_log (seq, at, run_id, mono_ns, kind, prev_hash, hash) VALUES (2, 'x', 'y', 0, 'notice', 'p', 'h')`,
      )
      .run();
    other.close();
    await expect(log.writeIntent(intent())).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(await log.writeIntent(intent())).toBe(3);
    // The foreign row is not part of the chain, and verification says so.
    expect(log.verify()).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
  });

  it('refuses to open a file that is not a database', () => {
    fs.writeFileSync(folder.file(), 'this is not sqlite'.repeat(100));
    expect(() => folder.open()).toThrow(/not a database/);
  });
});
