import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** A better-sqlite3 connection to `pins.sqlite`. */
export type PinDatabase = Database.Database;

/** One schema step; applied once, in order, inside a transaction, and recorded in `schema_migrations`. */
export interface PinMigration {
  version: number;
  sql: string;
}

/**
 * The pin schema, oldest first. Never edit a released migration: add one.
 * `pins` holds what is trusted per item, `versions` every definition ever seen (one row per
 * fingerprint), `changes` what was detected and how the person decided. JSON columns hold
 * `JSON.stringify` text (NULL for an absent value).
 */
export const PIN_MIGRATIONS: readonly PinMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE pins (
        server TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        definition TEXT,
        first_seen TEXT NOT NULL,
        pinned_at TEXT NOT NULL,
        PRIMARY KEY (server, kind, name)
      );
      CREATE TABLE versions (
        server TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        definition TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        UNIQUE (server, kind, name, fingerprint)
      );
      CREATE TABLE changes (
        id TEXT PRIMARY KEY,
        server TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        change TEXT NOT NULL,
        status TEXT NOT NULL,
        severity TEXT NOT NULL,
        detected_at TEXT NOT NULL,
        decided_at TEXT,
        source TEXT NOT NULL,
        before TEXT,
        after TEXT,
        diff TEXT NOT NULL,
        findings TEXT NOT NULL
      );
      CREATE INDEX changes_status ON changes (status, detected_at);
      CREATE INDEX changes_server ON changes (server, detected_at);
      CREATE INDEX changes_item ON changes (server, kind, name, status);
    `,
  },
];

/** The newest pin schema version this build knows. */
export const LATEST_PIN_SCHEMA_VERSION = PIN_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** Applies the migrations the database has not seen yet. Returns the versions applied. */
export function migratePins(db: PinDatabase, migrations: readonly PinMigration[] = PIN_MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
  )`);
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  const current = row.version ?? 0;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new Error(
      `The pin store has schema version ${current}, newer than this Gatehouse understands (${latest}): ` +
        'update Gatehouse, or use another data folder.',
    );
  }
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, new Date().toISOString());
    }).immediate();
    applied.push(migration.version);
  }
  return applied;
}

/** Options of {@link openPinDatabase}. */
export interface OpenPinDatabaseOptions {
  /** How long a write waits for a lock held by another connection before it fails (ms). */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating it if needed, readable by the owner only) the pin database in WAL mode with
 * synchronous=NORMAL (survives an app crash; a power loss may lose the last commits, which only
 * means an item is seen, and pinned or flagged, again), and brings its schema up to date.
 */
export function openPinDatabase(file: string, options: OpenPinDatabaseOptions = {}): PinDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Create the file ourselves so it is private; SQLite gives the -wal and -shm files the same mode.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 2000))}`);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') {
      throw new Error(`the pin store needs WAL journaling, but SQLite kept journal_mode=${String(mode)}`);
    }
    db.pragma('synchronous = NORMAL');
    migratePins(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
