import Database, { type Statement } from 'better-sqlite3';
import {
  auditQuerySchema,
  type AuditPage,
  type AuditQueryInput,
  type AuditVerify,
} from '../../../shared/schemas/audit.ts';
import { LATEST_SCHEMA_VERSION, type AuditDatabase } from './audit-db.ts';
import { csvHeader, csvLine, jsonLine, type AuditExportFormat } from './audit-export.ts';
import { runAuditQuery } from './audit-query.ts';
import { HASHED_COLUMNS, verifyChain, type ChainAnchor, type StoredRow } from './hash-chain.ts';

const EXPORT_PAGE = 1000;

/**
 * Reads the audit log: queries, exports, chain verification. {@link AuditLog} reads through one of
 * these; the command line opens one on its own with {@link AuditReader.open}, read-only, so it can
 * look at the log while `gatehouse serve` writes it without recovering (and so cutting short) the
 * server's running calls or appending to its chain.
 */
export class AuditReader {
  readonly #db: AuditDatabase;
  readonly #statements = new Map<string, Statement>();
  readonly #finishedThrough: () => number | undefined;

  /** `finishedThrough`: every call up to this seq has an outcome (a query shortcut for `pending`). */
  constructor(db: AuditDatabase, finishedThrough: () => number | undefined) {
    this.#db = db;
    this.#finishedThrough = finishedThrough;
  }

  /** Opens an existing log read-only. Throws if there is none, or it is from a newer Gatehouse. */
  static open(options: { file: string; busyTimeoutMs?: number }): AuditReader {
    const db = new Database(options.file, { readonly: true, fileMustExist: true });
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 2000))}`);
      const version = (() => {
        try {
          return db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null;
        } catch {
          return null;
        }
      })();
      if (version === null) throw new Error(`${options.file} is not a Gatehouse audit log`);
      if (version > LATEST_SCHEMA_VERSION) {
        throw new Error(
          `The audit log has schema version ${version}, newer than this Gatehouse understands ` +
            `(${LATEST_SCHEMA_VERSION}): update Gatehouse.`,
        );
      }
      const meta = db
        .prepare(`SELECT value FROM audit_meta WHERE key = 'recovered_through'`)
        .pluck()
        .get() as string | undefined;
      const finished = meta === undefined ? undefined : Number(meta);
      return new AuditReader(db, () => finished);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** One page of records, newest first. */
  query(input: AuditQueryInput = {}): AuditPage {
    return runAuditQuery((sql) => this.prepare(sql), auditQuerySchema.parse(input), {
      finishedThrough: this.#finishedThrough(),
    });
  }

  /** Streams every record matching `input` (newest first, ignoring its limit) as JSON Lines or CSV. */
  export(input: AuditQueryInput, format: AuditExportFormat, write: (chunk: string) => void): number {
    const q = auditQuerySchema.parse({ ...input, limit: EXPORT_PAGE });
    if (format === 'csv') write(csvHeader());
    let count = 0;
    let before = q.before;
    for (;;) {
      const page = this.query({ ...q, before });
      for (const record of page.records) write(format === 'csv' ? csvLine(record) : jsonLine(record));
      count += page.records.length;
      if (page.nextBefore === undefined) return count;
      before = page.nextBefore;
    }
  }

  /** Checks the hash chain from the pruning anchor to the newest committed record. */
  verify(): AuditVerify {
    const rows = this.prepare(`SELECT ${HASHED_COLUMNS.join(', ')}, hash FROM audit_log ORDER BY seq`);
    // Integers as bigint: what was hashed at write time must be what is read back, exactly.
    const iterator = rows.safeIntegers(true).iterate() as IterableIterator<StoredRow>;
    return verifyChain(iterator, this.readAnchor());
  }

  /** The last pruned record, where the chain starts (undefined if nothing was pruned). */
  readAnchor(): ChainAnchor | undefined {
    return this.prepare('SELECT seq, hash FROM chain_anchor WHERE id = 1').get() as ChainAnchor | undefined;
  }

  /** The newest record. */
  readLast(): ChainAnchor | undefined {
    return this.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
      ChainAnchor | undefined;
  }

  /** A prepared statement, cached by its SQL text. */
  prepare(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Closes the connection (a reader opened with {@link AuditReader.open}). */
  close(): void {
    this.#db.close();
  }
}
