import crypto from 'node:crypto';
import type { AuditPage, AuditQueryInput, AuditVerify } from '../../../shared/schemas/audit.ts';
import { Emitter, type Event } from '../base/emitter.ts';
import { nullLogger, type Logger } from '../base/logger.ts';
import { applyDurability, openAuditDatabase, type AuditDatabase } from './audit-db.ts';
import type { AuditExportFormat } from './audit-export.ts';
import { AuditReader } from './audit-reader.ts';
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
import { GENESIS_HASH, HASHED_COLUMNS, type StoredRow } from './hash-chain.ts';
import { INTERRUPTED_ERROR, OpenCalls, findUnfinishedCalls, saveRecoveredThrough } from './recovery.ts';
import { DEFAULT_MAX_ARG_BYTES } from './redact.ts';
import { pruneBefore } from './retention.ts';

export type { AuditEvent, CallIntent, CallOutcome } from './audit-rows.ts';
export { AuditWriteError } from './audit-write-error.ts';
export { AuditReader } from './audit-reader.ts';

/** Options of {@link AuditLog.open}. */
export interface AuditLogOptions {
  /** The SQLite file, normally `<data folder>/audit.sqlite`. */
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

/** How a call that was never forwarded ended. */
export type RefusedOutcome = Omit<CallOutcome, 'outcome'> & { outcome?: 'denied' | 'cancelled' };

/** What {@link AuditLog.onDidCommit} reports. */
export interface AuditCommit {
  /** The newest committed seq. */
  lastSeq: number;
  /** How many rows that commit added. */
  rows: number;
}

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
  readonly #reader: AuditReader;
  readonly #failures = new Emitter<AuditWriteError>();
  readonly #commits = new Emitter<AuditCommit>();
  readonly #openCalls = new OpenCalls();
  /** Set by crash recovery at open: no call up to here lacks an outcome. */
  #recoveredThrough = 0;
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
    this.#reader = new AuditReader(db, () => this.#recoveredThrough);
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
        this.#openCalls.track(rows);
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
   * Records a call that is never forwarded (denied by policy or a person, or withdrawn while held):
   * its intent and its outcome (`denied` unless told `cancelled`) in the same commit. Resolves with
   * the intent's seq.
   */
  writeDenied(intent: CallIntent, outcome: RefusedOutcome = { durationMs: 0 }): Promise<number> {
    if (this.#closed) return Promise.reject(new AuditWriteError('the audit log is closed'));
    let intentWrite: QueuedWrite;
    let deniedWrite: QueuedWrite;
    try {
      intentWrite = { row: intentRow(this.#ctx, intent), options: {} };
      deniedWrite = {
        row: outcomeRow(this.#ctx, null, { ...outcome, outcome: outcome.outcome ?? 'denied' }),
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
    return this.#reader.query(input);
  }

  /** Streams every record matching `input` (newest first, ignoring its limit) as JSON Lines or CSV. */
  export(input: AuditQueryInput, format: AuditExportFormat, write: (chunk: string) => void): number {
    this.#assertOpen();
    return this.#reader.export(input, format, write);
  }

  /** Checks the hash chain from the pruning anchor to the newest committed record. */
  verify(): AuditVerify {
    this.#assertOpen();
    return this.#reader.verify();
  }

  /**
   * Deletes records older than `retentionDays` (only a prefix of the log, so the chain stays whole)
   * and keeps the last deleted record's hash as the anchor verification starts from. Returns the
   * number of records deleted.
   */
  prune(retentionDays: number, now: Date = new Date()): number {
    this.#assertOpen();
    if (!(retentionDays > 0)) throw new RangeError('retentionDays must be positive');
    return pruneBefore(this.#db, new Date(now.getTime() - retentionDays * 86_400_000).toISOString());
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

  #readHead(): ChainHead {
    return this.#reader.readLast() ?? this.#reader.readAnchor() ?? { seq: 0, hash: GENESIS_HASH };
  }

  /** On a clean close: the next open needs to look for interrupted calls only after the open ones. */
  #saveRecoveryPoint(): void {
    const through = this.#openCalls.recoveredThrough(this.#queue.head.seq);
    if (through === undefined) return;
    try {
      saveRecoveredThrough(this.#db, through);
    } catch (error) {
      // Only an optimisation: the next open rescans more.
      this.#logger.warn('could not save the audit recovery point', { error: String(error) });
    }
  }

  /**
   * Crash recovery: intents without an outcome belong to calls that were running when Gatehouse
   * stopped. Only rows after the last recovery are scanned, so opening stays fast on a large log.
   */
  #recoverInterrupted(): void {
    const unfinished = findUnfinishedCalls(this.#db);
    if (unfinished.length > 0) {
      const error = INTERRUPTED_ERROR;
      this.#queue.commitNow(
        unfinished.map((seq) => outcomeRow(this.#ctx, seq, { outcome: 'interrupted', durationMs: 0, error })),
      );
      this.#logger.warn('calls cut short by the last shutdown were marked interrupted', {
        count: unfinished.length,
      });
    }
    this.#recoveredThrough = this.#queue.head.seq;
    saveRecoveredThrough(this.#db, this.#recoveredThrough);
  }
}
