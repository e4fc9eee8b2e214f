import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** One schema step; applied once, in order, inside a transaction, and recorded in `schema_migrations`. */
export interface SqliteMigration {
  version: number;
  sql: string;
}

/**
 * Opens (creating it if needed, readable by the owner only) a SQLite file in WAL mode, runs
 * `configure` (pragmas), then brings its schema up to date with `migrations`. `label` names the store
 * in errors ("the audit log", "the pin store").
 */
export function openWalDatabase(
  file: string,
  options: {
    label: string;
    migrations: readonly SqliteMigration[];
    busyTimeoutMs?: number;
    configure?(db: Database.Database): void;
  },
): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Create the file ourselves so it is private; SQLite gives the -wal and -shm files the same mode.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 2000))}`);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') {
      throw new Error(`${options.label} needs WAL journaling, but SQLite kept journal_mode=${String(mode)}`);
    }
    options.configure?.(db);
    applyMigrations(db, options.migrations, options.label);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies the migrations the database has not seen yet; refuses a newer schema. Returns the versions applied. */
export function applyMigrations(
  db: Database.Database,
  migrations: readonly SqliteMigration[],
  label: string,
): number[] {
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
    const name = label.charAt(0).toUpperCase() + label.slice(1);
    throw new Error(
      `${name} has schema version ${current}, newer than this Gatehouse understands (${latest}): ` +
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
