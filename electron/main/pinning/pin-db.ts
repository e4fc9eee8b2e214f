import type Database from 'better-sqlite3';
import { applyMigrations, openWalDatabase, type SqliteMigration } from '../base/sqlite.ts';

/** A better-sqlite3 connection to `pins.sqlite`. */
export type PinDatabase = Database.Database;

/** One schema step; applied once, in order, inside a transaction, and recorded in `schema_migrations`. */
export type PinMigration = SqliteMigration;

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
  return applyMigrations(db, migrations, 'the pin store');
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
  return openWalDatabase(file, {
    label: 'the pin store',
    migrations: PIN_MIGRATIONS,
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
    configure: (db) => db.pragma('synchronous = NORMAL'),
  });
}
