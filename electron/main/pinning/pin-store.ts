import type { Statement } from 'better-sqlite3';
import type { Change, PinKind } from '../../../shared/schemas/changes.ts';
import { canonicalJson } from '../base/canonical-json.ts';
import { openPinDatabase, type OpenPinDatabaseOptions, type PinDatabase } from './pin-db.ts';
import type { Pin, PinStoreApi } from './pin-store-types.ts';

/** One version of an item's definition, as {@link PinStore.history} returns it. */
export interface PinVersion {
  fingerprint: string;
  definition: unknown;
  firstSeen: string;
  lastSeen: string;
}

interface PinRow {
  server: string;
  kind: string;
  name: string;
  fingerprint: string;
  definition: string | null;
  first_seen: string;
  pinned_at: string;
}

interface VersionRow {
  fingerprint: string;
  definition: string | null;
  first_seen: string;
  last_seen: string;
}

interface ChangeRow {
  id: string;
  server: string;
  kind: string;
  name: string;
  change: string;
  status: string;
  severity: string;
  detected_at: string;
  decided_at: string | null;
  source: string;
  before: string | null;
  after: string | null;
  diff: string;
  findings: string;
}

/** JSON text of a value, or NULL when there is none (undefined stays undefined on the way back). */
function encode(value: unknown): string | null {
  if (value === undefined) return null;
  return JSON.stringify(value) ?? null;
}

function decode(text: string | null): unknown {
  return text === null ? undefined : (JSON.parse(text) as unknown);
}

/** What two `after` values are compared by: their canonical JSON (key order does not matter). */
function sameValue(stored: string | null, value: unknown): boolean {
  if (stored === null || value === undefined) return stored === null && value === undefined;
  return canonicalJson(JSON.parse(stored)) === canonicalJson(value);
}

function toPin(row: PinRow): Pin {
  return {
    server: row.server,
    kind: row.kind as PinKind,
    name: row.name,
    fingerprint: row.fingerprint,
    definition: decode(row.definition),
    firstSeen: row.first_seen,
    pinnedAt: row.pinned_at,
  };
}

function toChange(row: ChangeRow): Change {
  const before = decode(row.before);
  const after = decode(row.after);
  return {
    id: row.id,
    server: row.server,
    kind: row.kind as Change['kind'],
    name: row.name,
    change: row.change as Change['change'],
    status: row.status as Change['status'],
    severity: row.severity as Change['severity'],
    detectedAt: row.detected_at,
    ...(row.decided_at !== null ? { decidedAt: row.decided_at } : {}),
    source: row.source as Change['source'],
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    diff: JSON.parse(row.diff) as Change['diff'],
    findings: JSON.parse(row.findings) as Change['findings'],
  };
}

/**
 * Pins, the history of every definition version seen, and detected changes, in SQLite
 * (`pins.sqlite` in the data folder; WAL, owner-only). Every method is synchronous and each write
 * is its own transaction, so what a method returns is on disk (up to synchronous=NORMAL).
 */
export class PinStore implements PinStoreApi {
  readonly #db: PinDatabase;
  readonly #statements: {
    pins: Statement<[string], PinRow>;
    knows: Statement<[string, string], { found: number }>;
    savePin: Statement<[string, string, string, string, string | null, string, string]>;
    deletePin: Statement<[string, string, string]>;
    recordVersion: Statement<[string, string, string, string, string | null, string, string]>;
    history: Statement<[string, string, string], VersionRow>;
    pendingOf: Statement<[string, string, string], ChangeRow>;
    insertChange: Statement<Record<string, string | null>>;
    updateChange: Statement<[string, string, string]>;
    supersede: Statement<[string, string, string, string]>;
    change: Statement<[string], ChangeRow>;
  };

  /** Wraps an open, migrated database; use {@link PinStore.open}. */
  constructor(db: PinDatabase) {
    this.#db = db;
    this.#statements = {
      pins: db.prepare('SELECT * FROM pins WHERE server = ? ORDER BY kind, name'),
      knows: db.prepare(
        `SELECT EXISTS (SELECT 1 FROM pins WHERE server = ?)
           OR EXISTS (SELECT 1 FROM versions WHERE server = ?) AS found`,
      ),
      savePin: db.prepare(
        `INSERT OR REPLACE INTO pins (server, kind, name, fingerprint, definition, first_seen, pinned_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      deletePin: db.prepare('DELETE FROM pins WHERE server = ? AND kind = ? AND name = ?'),
      recordVersion: db.prepare(
        `INSERT INTO versions (server, kind, name, fingerprint, definition, first_seen, last_seen)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (server, kind, name, fingerprint)
         DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)`,
      ),
      history: db.prepare(
        `SELECT fingerprint, definition, first_seen, last_seen FROM versions
         WHERE server = ? AND kind = ? AND name = ? ORDER BY first_seen, rowid`,
      ),
      pendingOf: db.prepare(
        `SELECT * FROM changes WHERE server = ? AND kind = ? AND name = ? AND status = 'pending'
         ORDER BY detected_at DESC, rowid DESC`,
      ),
      insertChange: db.prepare(
        `INSERT INTO changes (id, server, kind, name, change, status, severity, detected_at, decided_at,
           source, before, after, diff, findings)
         VALUES (@id, @server, @kind, @name, @change, @status, @severity, @detectedAt, @decidedAt,
           @source, @before, @after, @diff, @findings)`,
      ),
      updateChange: db.prepare('UPDATE changes SET status = ?, decided_at = ? WHERE id = ?'),
      supersede: db.prepare(
        `DELETE FROM changes WHERE server = ? AND kind = ? AND name = ? AND status = 'pending' AND id <> ?`,
      ),
      change: db.prepare('SELECT * FROM changes WHERE id = ?'),
    };
  }

  /** Opens (creating it, owner-only, if needed) the pin store at `file` and brings its schema up to date. */
  static open(file: string, options: OpenPinDatabaseOptions = {}): PinStore {
    const db = openPinDatabase(file, options);
    try {
      return new PinStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  pins(server: string): Pin[] {
    return this.#statements.pins.all(server).map(toPin);
  }

  /** Whether the server has a pin, or ever had a definition version recorded. */
  knows(server: string): boolean {
    return this.#statements.knows.get(server, server)?.found === 1;
  }

  savePin(pin: Pin): void {
    this.#statements.savePin.run(
      pin.server,
      pin.kind,
      pin.name,
      pin.fingerprint,
      encode(pin.definition),
      pin.firstSeen,
      pin.pinnedAt,
    );
  }

  deletePin(server: string, kind: PinKind, name: string): void {
    this.#statements.deletePin.run(server, kind, name);
  }

  /** Adds the version, or (same fingerprint seen before) moves its `lastSeen` forward; the first definition stays. */
  recordVersion(
    server: string,
    kind: PinKind,
    name: string,
    fingerprint: string,
    definition: unknown,
    seenAt: string,
  ): void {
    this.#statements.recordVersion.run(server, kind, name, fingerprint, encode(definition), seenAt, seenAt);
  }

  history(server: string, kind: PinKind, name: string): PinVersion[] {
    return this.#statements.history.all(server, kind, name).map((row) => ({
      fingerprint: row.fingerprint,
      definition: decode(row.definition),
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
    }));
  }

  /**
   * Inserts the change, unless a pending change of the same item already has the same `after`
   * (compared as canonical JSON): then that one is returned and nothing is written, so re-listing
   * the same changed definition never adds a duplicate.
   */
  addChange(change: Change): Change {
    return this.#db
      .transaction((): Change => {
        for (const row of this.#statements.pendingOf.all(change.server, change.kind, change.name)) {
          if (sameValue(row.after, change.after)) return toChange(row);
        }
        this.#statements.insertChange.run({
          id: change.id,
          server: change.server,
          kind: change.kind,
          name: change.name,
          change: change.change,
          status: change.status,
          severity: change.severity,
          detectedAt: change.detectedAt,
          decidedAt: change.decidedAt ?? null,
          source: change.source,
          before: encode(change.before),
          after: encode(change.after),
          diff: encode(change.diff ?? []),
          findings: encode(change.findings ?? []),
        });
        return this.change(change.id) ?? change;
      })
      .immediate();
  }

  /** Sets the status and decision time of a change; undefined when there is no such change. */
  updateChange(id: string, fields: Pick<Change, 'status'> & { decidedAt: string }): Change | undefined {
    this.#statements.updateChange.run(fields.status, fields.decidedAt, id);
    return this.change(id);
  }

  /** Deletes the item's pending changes other than `keepId` (pass '' to delete them all). */
  supersede(server: string, kind: PinKind, name: string, keepId: string): void {
    this.#statements.supersede.run(server, kind, name, keepId);
  }

  change(id: string): Change | undefined {
    const row = this.#statements.change.get(id);
    return row ? toChange(row) : undefined;
  }

  /** Changes matching the filter, newest first (by detection time, then insertion order). */
  changes(filter: { server?: string; status?: Change['status'] } = {}): Change[] {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.server !== undefined) {
      where.push('server = ?');
      params.push(filter.server);
    }
    if (filter.status !== undefined) {
      where.push('status = ?');
      params.push(filter.status);
    }
    const sql =
      `SELECT * FROM changes${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}` +
      ' ORDER BY detected_at DESC, rowid DESC';
    return (this.#db.prepare(sql).all(...params) as ChangeRow[]).map(toChange);
  }

  /** Closes the database (checkpointing the WAL). Idempotent. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
