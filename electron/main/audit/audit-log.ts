import crypto from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import {
  auditQuerySchema,
  type AuditPage,
  type AuditQueryInput,
  type AuditVerify,
} from '../../../shared/schemas/audit.ts';
import { Emitter, type Event } from '../base/emitter.ts';
import { nullLogger, type Logger } from '../base/logger.ts';
import { applyDurability, openAuditDatabase, type AuditDatabase } from './audit-db.ts';
import { csvHeader, csvLine, jsonLine, type AuditExportFormat } from './audit-export.ts';
import { runAuditQuery } from './audit-query.ts';
import {
  eventRow,
  intentRow,
  outcomeRow,
  type AuditEvent,
  type CallIntent,
  type CallOutcome,
  type NewRow,
  type RowContext,
} from './audit-rows.ts';
import { AuditWriteError } from './audit-write-error.ts';
import { GroupCommitQueue, type ChainHead, type QueueOptions, type QueuedWrite } from './group-commit.ts';
import { GENESIS_HASH, HASHED_COLUMNS, verifyChain, type StoredRow } from './hash-chain.ts';
import { DEFAULT_MAX_ARG_BYTES } from './redact.ts';

export type { AuditEvent, CallIntent, CallOutcome } from './audit-rows.ts';
export { AuditWriteError } from './audit-write-error.ts';

/** Options of {@link AuditLog.open}. */
export interface AuditLogOptions {
  /** The SQLite file, normally `<data folder>/audit.db`. */
  file: string;
  /** synchronous=FULL (and F_FULLFSYNC on macOS) instead of NORMAL. */
  durable?: boolean;
  logger?: Logger;
  /** How long a write waits for another program's lock before the call is denied (ms). Default 2000. */
  busyTimeoutMs?: number;
  /** Size cap of the stored arguments and details (bytes of JSON). Default 16 KiB. */
  maxArgBytes?: number;
  /** Called with the writer connection after migrations. Tests use it to inject faults. */
  configure?: (db: AuditDatabase) => void;
}

/** What {@link AuditLog.onDidCommit} reports. */
export interface AuditCommit {
  /** The newest committed seq. */
  lastSeq: number;
  /** How many rows that commit added. */
  rows: number;
}

const INTERRUPTED_ERROR = 'Gatehouse stopped before the call finished; the server may or may not have run it';
const EXPORT_PAGE = 1000;
const MAX_TRACKED_CALLS = 100_000;

/**
 * The audit log: every tool call and every change that matters, in an append-only, hash-chained
 * SQLite table. Calls are written ahead: the intent is committed before the call is forwarded and
 * the outcome after it completes. Writes are group-committed once per event-loop turn; a write that
 * cannot be committed rejects with {@link AuditWriteError}, and the caller must then deny the call.
 */
export class AuditLog {
  readonly #db: AuditDatabase;
  readonly #logger: Logger;
  readonly #ctx: RowContext;
  readonly #queue: GroupCommitQueue;
  readonly #statements = new Map<string, Statement>();
  readonly #failures = new Emitter<AuditWriteError>();
  readonly #commits = new Emitter<AuditCommit>();
  /** Committed intents without a committed outcome (calls in flight), to resume recovery after them. */
  readonly #openCalls = new Set<number>();
  #openCallsOverflow = false;
  #durable: boolean;
  #closed = false;

  /** Fires after records were committed (a live view can refresh). */
  readonly onDidCommit: Event<AuditCommit> = this.#commits.event;

  /** Fires when a commit fails (for an alert); the affected writes reject as well. */
  readonly onDidFailWrite: Event<AuditWriteError> = this.#failures.event;

  /** The database file. */
  readonly file: string;

  private constructor(db: AuditDatabase, options: AuditLogOptions) {
    this.#db = db;
    this.file = options.file;
    this.#logger = options.logger ?? nullLogger;
    this.#durable = options.durable ?? false;
    this.#ctx = { runId: crypto.randomUUID(), maxArgBytes: options.maxArgBytes ?? DEFAULT_MAX_ARG_BYTES };
    const insert = db.prepare(
      `INSERT INTO audit_log (${HASHED_COLUMNS.join(', ')}, hash)
       VALUES (${HASHED_COLUMNS.map((c) => `@${c}`).join(', ')}, @hash)`,
    );
    const insertAll = db.transaction((rows: readonly StoredRow[]) => {
      for (const row of rows) insert.run(row);
    });
    this.#queue = new GroupCommitQueue({
      target: { insertAll: (rows) => insertAll.immediate(rows), readHead: () => this.#readHead() },
      head: this.#readHead(),
      logger: this.#logger,
      onCommit: (head, rows) => {
        this.#trackOpenCalls(rows);
        if (this.#commits.hasListeners) this.#commits.fire({ lastSeq: head.seq, rows: rows.length });
      },
      onFailure: (error) => this.#failures.fire(error),
    });
  }

  /**
   * Opens (creating and migrating) the log and recovers from a crash: every call whose intent has no
   * outcome gets an `interrupted` outcome. Throws if the file cannot be opened or written: Gatehouse
   * must not serve without its audit log.
   */
  static open(options: AuditLogOptions): AuditLog {
    const db = openAuditDatabase(options.file, {
      durable: options.durable ?? false,
      busyTimeoutMs: options.busyTimeoutMs,
    });
    try {
      options.configure?.(db);
      const log = new AuditLog(db, options);
      log.#recoverInterrupted();
      return log;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Whether commits use synchronous=FULL. */
  get durable(): boolean {
    return this.#durable;
  }

  /** Switches durability; applies from the next commit. */
  setDurable(durable: boolean): void {
    this.#assertOpen();
    applyDurability(this.#db, durable);
    this.#durable = durable;
  }

  /**
   * Records a call before it is forwarded. Resolves with the intent's seq once it is committed;
   * rejects with {@link AuditWriteError} if it cannot be, and then the call must be denied.
   */
  writeIntent(intent: CallIntent): Promise<number> {
    return this.#write(() => intentRow(this.#ctx, intent), {});
  }

  /** Records how the call with intent `callSeq` ended. Rejects if the commit fails (the row is retried). */
  async writeOutcome(callSeq: number, outcome: CallOutcome): Promise<void> {
    await this.#write(() => outcomeRow(this.#ctx, callSeq, outcome), { retry: true });
  }

  /**
   * Records a call that is not forwarded (denied by policy or by a person): its intent and a
   * `denied` outcome, committed together. Resolves with the intent's seq.
   */
  writeDenied(
    intent: CallIntent,
    outcome: Omit<CallOutcome, 'outcome'> = { durationMs: 0 },
  ): Promise<number> {
    if (this.#closed) return Promise.reject(new AuditWriteError('the audit log is closed'));
    let intentWrite: QueuedWrite;
    let deniedWrite: QueuedWrite;
    try {
      intentWrite = { row: intentRow(this.#ctx, intent), options: {} };
      deniedWrite = {
        row: outcomeRow(this.#ctx, null, { ...outcome, outcome: 'denied' }),
        options: { callOf: intentWrite },
      };
    } catch (error) {
      return Promise.reject(this.#invalid(error));
    }
    const seq = this.#queue.enqueue(intentWrite);
    void this.#queue.enqueue(deniedWrite).catch(() => undefined);
    return seq;
  }

  /** Records an event (session open/close, a change, an approval, pause/resume). */
  async writeEvent(event: AuditEvent): Promise<void> {
    await this.#write(() => eventRow(this.#ctx, event), { retry: true });
  }

  /** One page of records, newest first. */
  query(input: AuditQueryInput = {}): AuditPage {
    this.#assertOpen();
    return runAuditQuery((sql) => this.#prepare(sql), auditQuerySchema.parse(input));
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
    this.#assertOpen();
    const rows = this.#prepare(`SELECT ${HASHED_COLUMNS.join(', ')}, hash FROM audit_log ORDER BY seq`);
    // Integers as bigint: what was hashed at write time must be what is read back, exactly.
    const iterator = rows.safeIntegers(true).iterate() as IterableIterator<StoredRow>;
    return verifyChain(iterator, this.#readAnchor());
  }

  /**
   * Deletes records older than `retentionDays` (only a prefix of the log, so the chain stays whole)
   * and keeps the last deleted record's hash as the anchor verification starts from. Returns the
   * number of records deleted.
   */
  prune(retentionDays: number, now: Date = new Date()): number {
    this.#assertOpen();
    if (!(retentionDays > 0)) throw new RangeError('retentionDays must be positive');
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
    return this.#db
      .transaction(() => {
        const firstKept = this.#prepare('SELECT min(seq) AS seq FROM audit_log WHERE at >= ?').get(
          cutoff,
        ) as {
          seq: number | null;
        };
        const last = this.#prepare(
          firstKept.seq === null
            ? 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'
            : 'SELECT seq, hash FROM audit_log WHERE seq < @firstKept ORDER BY seq DESC LIMIT 1',
        ).get(firstKept.seq === null ? {} : { firstKept: firstKept.seq }) as ChainHead | undefined;
        if (!last) return 0;
        const deleted = this.#prepare('DELETE FROM audit_log WHERE seq <= ?').run(last.seq).changes;
        this.#prepare(
          `INSERT INTO chain_anchor (id, seq, hash) VALUES (1, @seq, @hash)
           ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
        ).run(last);
        return deleted;
      })
      .immediate();
  }

  /** Commits pending writes, then closes the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#queue.flush();
    const lost = this.#queue.stop();
    if (lost > 0) this.#logger.error('audit log closed with uncommitted records', { lost });
    else this.#saveRecoveryPoint();
    this.#closed = true;
    this.#failures.dispose();
    this.#commits.dispose();
    this.#db.close();
  }

  #write(build: () => NewRow, options: QueueOptions): Promise<number> {
    if (this.#closed) return Promise.reject(new AuditWriteError('the audit log is closed'));
    let row: NewRow;
    try {
      row = build();
    } catch (error) {
      return Promise.reject(this.#invalid(error));
    }
    return this.#queue.enqueue({ row, options });
  }

  #invalid(error: unknown): AuditWriteError {
    const message = error instanceof Error ? error.message : String(error);
    return new AuditWriteError(`the audit record is invalid: ${message}`, { cause: error });
  }

  #assertOpen(): void {
    if (this.#closed) throw new AuditWriteError('the audit log is closed');
  }

  #prepare(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #readAnchor(): ChainHead | undefined {
    return this.#prepare('SELECT seq, hash FROM chain_anchor WHERE id = 1').get() as ChainHead | undefined;
  }

  #readHead(): ChainHead {
    const last = this.#prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
      ChainHead | undefined;
    return last ?? this.#readAnchor() ?? { seq: 0, hash: GENESIS_HASH };
  }

  #trackOpenCalls(rows: readonly StoredRow[]): void {
    if (this.#openCallsOverflow) return;
    for (const row of rows) {
      if (row.kind === 'call') this.#openCalls.add(Number(row.seq));
      else if (row.kind === 'outcome') this.#openCalls.delete(Number(row.call_seq));
    }
    // A caller that never writes outcomes must not grow memory: stop tracking, recovery rescans.
    if (this.#openCalls.size > MAX_TRACKED_CALLS) {
      this.#openCallsOverflow = true;
      this.#openCalls.clear();
    }
  }

  /** On a clean close: the next open needs to look for interrupted calls only after this point. */
  #saveRecoveryPoint(): void {
    if (this.#openCallsOverflow) return;
    let through = this.#queue.head.seq;
    for (const seq of this.#openCalls) through = Math.min(through, seq - 1);
    try {
      this.#setRecoveredThrough(through);
    } catch (error) {
      // Only an optimisation: the next open rescans more.
      this.#logger.warn('could not save the audit recovery point', { error: String(error) });
    }
  }

  #setRecoveredThrough(seq: number): void {
    this.#prepare(
      `INSERT INTO audit_meta (key, value) VALUES ('recovered_through', @value)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ).run({ value: String(seq) });
  }

  /**
   * Crash recovery: intents without an outcome belong to calls that were running when Gatehouse
   * stopped. Only rows after the last recovery are scanned, so opening stays fast on a large log.
   */
  #recoverInterrupted(): void {
    const meta = this.#prepare(`SELECT value FROM audit_meta WHERE key = 'recovered_through'`).get() as
      { value: string } | undefined;
    const pending = this.#prepare(
      `SELECT seq FROM audit_log i
       WHERE i.kind = 'call' AND i.seq > ? AND i.outcome IS NULL
         AND NOT EXISTS (SELECT 1 FROM audit_log o WHERE o.kind = 'outcome' AND o.call_seq = i.seq)
       ORDER BY i.seq`,
    ).all(Number(meta?.value ?? 0)) as { seq: number }[];
    if (pending.length > 0) {
      this.#queue.commitNow(
        pending.map(({ seq }) =>
          outcomeRow(this.#ctx, seq, { outcome: 'interrupted', durationMs: 0, error: INTERRUPTED_ERROR }),
        ),
      );
      this.#logger.warn('calls cut short by the last shutdown were marked interrupted', {
        count: pending.length,
      });
    }
    this.#setRecoveredThrough(this.#queue.head.seq);
  }
}
