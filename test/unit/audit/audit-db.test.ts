import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/main/audit/audit-log.ts';
import {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  applyDurability,
  migrate,
  openAuditDatabase,
} from '../../../electron/main/audit/audit-db.ts';
import { intent, useAuditFolder } from './audit-fixtures.ts';

describe('openAuditDatabase', () => {
  const folder = useAuditFolder();

  it('creates a private WAL database with the latest schema, once', () => {
    const db = openAuditDatabase(folder.file(), { durable: false });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      const versions = db.prepare('SELECT version FROM schema_migrations').pluck().all();
      expect(versions).toEqual([1, 2]);
      expect(LATEST_SCHEMA_VERSION).toBe(2);
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
        .pluck()
        .all();
      expect(tables).toEqual(['audit_log', 'audit_meta', 'chain_anchor', 'schema_migrations']);
      const indexes = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'`)
        .pluck()
        .all();
      expect([...indexes].sort()).toEqual([
        'audit_log_at',
        'audit_log_client',
        'audit_log_decision',
        'audit_log_events',
        'audit_log_outcome_of',
        'audit_log_server',
        'audit_log_tool',
      ]);
      expect(migrate(db)).toEqual([]);
    } finally {
      db.close();
    }
    if (process.platform !== 'win32') expect(fs.statSync(folder.file()).mode & 0o777).toBe(0o600);
  });

  it('uses the indexes for the common filters', () => {
    const db = openAuditDatabase(folder.file(), { durable: false });
    try {
      const plan = (sql: string) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
          .map((r) => r.detail)
          .join('; ');
      expect(plan(`SELECT seq FROM audit_log WHERE tool = 'x' ORDER BY seq DESC`)).toMatch(/audit_log_tool/);
      const events = `SELECT seq FROM audit_log WHERE kind NOT IN ('call', 'outcome') ORDER BY seq DESC`;
      expect(plan(events)).toMatch(/audit_log_events/);
      const since = `SELECT count(*) FROM audit_log WHERE at >= 'x' AND kind <> 'outcome'`;
      expect(plan(since)).toMatch(/audit_log_at/);
      expect(plan(`SELECT min(seq) FROM audit_log WHERE kind = 'outcome' AND call_seq = 5`)).toMatch(
        /audit_log_outcome_of/,
      );
    } finally {
      db.close();
    }
  });

  it('upgrades a version 1 log in place, keeping its records and its chain', async () => {
    const db = new Database(folder.file());
    migrate(db, MIGRATIONS.slice(0, 1));
    db.close();
    const log = AuditLog.open({ file: folder.file() });
    try {
      await log.writeIntent(intent());
      expect(log.verify()).toEqual({ ok: true, checked: 1 });
      expect(log.query({ since: '2000-01-01T00:00:00Z' }).records).toHaveLength(1);
    } finally {
      await log.close();
    }
    const check = new Database(folder.file(), { readonly: true });
    expect(check.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(2);
    expect(
      check.prepare(`SELECT name FROM sqlite_master WHERE name = 'audit_log_kind'`).get(),
    ).toBeUndefined();
    check.close();
  });

  it('applies new migrations in order and refuses a database from a newer Gatehouse', () => {
    const db = new Database(folder.file());
    try {
      expect(
        migrate(db, [
          { version: 2, sql: 'ALTER TABLE t ADD COLUMN b TEXT' },
          { version: 1, sql: 'CREATE TABLE t (a TEXT)' },
        ]),
      ).toEqual([1, 2]);
      expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('t')).toEqual(['a', 'b']);
      // A failing migration is rolled back whole and not recorded.
      expect(() => migrate(db, [{ version: 3, sql: 'CREATE TABLE u (a); CREATE TABLE t (a)' }])).toThrow();
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'u'`).get()).toBeUndefined();
      expect(() => migrate(db, [{ version: 1, sql: '' }])).toThrow(/newer than this Gatehouse understands/);
    } finally {
      db.close();
    }
  });

  it('sets full fsync on macOS only in durable mode', () => {
    const db = new Database(folder.file());
    try {
      applyDurability(db, true, 'darwin');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('fullfsync', { simple: true })).toBe(1);
      expect(db.pragma('checkpoint_fullfsync', { simple: true })).toBe(1);
      applyDurability(db, false, 'darwin');
      expect(db.pragma('fullfsync', { simple: true })).toBe(0);
      applyDurability(db, true, 'linux');
      expect(db.pragma('fullfsync', { simple: true })).toBe(0);
    } finally {
      db.close();
    }
  });
});
