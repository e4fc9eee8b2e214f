import type { Logger } from '../base/logger.ts';
import type { NewRow } from './audit-rows.ts';
import { AuditWriteError, toAuditWriteError } from './audit-write-error.ts';
import { rowHash, type StoredRow } from './hash-chain.ts';

/** The last committed row: where the next row links to. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** What the queue needs from the database. */
export interface GroupCommitTarget {
  /** Inserts the rows in one transaction; throws (having rolled back) if it cannot. */
  insertAll(rows: readonly StoredRow[]): void;
  /** Reads the head again from the database (after a failed commit). */
  readHead(): ChainHead;
}

/** Collaborators of a {@link GroupCommitQueue}. */
export interface GroupCommitOptions {
  target: GroupCommitTarget;
  /** The last committed row when the queue starts. */
  head: ChainHead;
  logger: Logger;
  /** After each successful commit, with the rows it added. */
  onCommit?: (head: ChainHead, rows: readonly StoredRow[]) => void;
  /** After each failed commit (the writes have been rejected). */
  onFailure?: (error: AuditWriteError) => void;
}

/** Options of a write. */
export interface QueueOptions {
  /**
   * Kept and committed with a later batch if this batch fails (its promise still rejects). For rows
   * that record something that already happened (outcomes, events); never for intents, whose call is
   * denied when they fail.
   */
  retry?: boolean;
  /** Another queued write whose seq becomes this row's `call_seq` (both commit together or neither). */
  callOf?: QueuedWrite;
}

/** A row waiting for the next commit. */
export interface QueuedWrite {
  readonly row: NewRow;
  readonly options: QueueOptions;
  seq?: number;
  settle?: { resolve: (seq: number) => void; reject: (error: AuditWriteError) => void };
}

/** Retried rows kept at most; beyond that they are dropped (and logged): memory must stay bounded. */
const MAX_RETRY_ROWS = 10_000;
const RETRY_DELAY_MS = 1000;

/**
 * Group commit: writes queued during one event-loop turn are committed together in one transaction
 * (setImmediate), so durability costs one sync per batch, not per call. Seqs and hashes are assigned
 * in queue order at commit. Every write's promise settles after its transaction: resolved with the
 * row's seq, or rejected with an {@link AuditWriteError}. A failed batch leaves the chain head as it
 * was, so the next batch simply tries again.
 */
export class GroupCommitQueue {
  readonly #target: GroupCommitTarget;
  readonly #logger: Logger;
  readonly #onCommit: GroupCommitOptions['onCommit'];
  readonly #onFailure: GroupCommitOptions['onFailure'];
  #head: ChainHead;
  #queue: QueuedWrite[] = [];
  #retry: QueuedWrite[] = [];
  #immediate: NodeJS.Immediate | undefined;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(options: GroupCommitOptions) {
    this.#target = options.target;
    this.#head = options.head;
    this.#logger = options.logger;
    this.#onCommit = options.onCommit;
    this.#onFailure = options.onFailure;
  }

  /** The last committed row. */
  get head(): ChainHead {
    return this.#head;
  }

  /** Writes queued or waiting for a retry. */
  get pending(): number {
    return this.#queue.length + this.#retry.length;
  }

  /** Queues a row; the promise resolves with its seq once committed. */
  enqueue(write: QueuedWrite): Promise<number> {
    const promise = new Promise<number>((resolve, reject) => {
      write.settle = { resolve, reject };
    });
    this.#queue.push(write);
    this.#immediate ??= setImmediate(() => this.flush());
    return promise;
  }

  /** Commits everything queued now (also called by close). */
  flush(): void {
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const batch = [...this.#retry, ...this.#queue];
    this.#retry = [];
    this.#queue = [];
    if (batch.length === 0) return;
    const error = this.#commit(batch);
    if (error) return this.#failed(batch, error);
    for (const write of batch) write.settle?.resolve(write.seq ?? 0);
  }

  /** Commits rows at once, after anything queued (crash recovery at open). Throws {@link AuditWriteError}. */
  commitNow(rows: readonly NewRow[]): void {
    this.flush();
    const error = this.#commit(rows.map((row) => ({ row, options: {} })));
    if (error) throw error;
  }

  /** Links the batch to the head, inserts it, and moves the head; or returns why it failed. */
  #commit(batch: QueuedWrite[]): AuditWriteError | undefined {
    let { seq, hash } = this.#head;
    const rows: StoredRow[] = [];
    for (const write of batch) {
      seq++;
      write.seq = seq;
      const callSeq = write.options.callOf ? (write.options.callOf.seq ?? null) : write.row.call_seq;
      const row = { ...write.row, call_seq: callSeq, seq, prev_hash: hash };
      hash = rowHash(row);
      rows.push({ ...row, hash });
    }
    try {
      this.#target.insertAll(rows);
    } catch (cause) {
      for (const write of batch) write.seq = undefined;
      try {
        // Another writer may have moved the end of the log; link to what is really there.
        this.#head = this.#target.readHead();
      } catch {
        // Keep the head we had: nothing was committed.
      }
      return toAuditWriteError(cause);
    }
    this.#head = { seq, hash };
    this.#onCommit?.(this.#head, rows);
    return undefined;
  }

  #failed(batch: QueuedWrite[], error: AuditWriteError): void {
    for (const write of batch) {
      write.settle?.reject(error);
      write.settle = undefined;
    }
    const retry = batch.filter((write) => write.options.retry && !write.options.callOf);
    const kept = retry.slice(0, MAX_RETRY_ROWS);
    this.#logger.error('audit write failed', {
      error: error.message,
      code: error.code,
      rows: batch.length,
      retrying: kept.length,
      // Beyond the cap, records of calls that already ran are lost: they are counted here.
      dropped: retry.length - kept.length,
    });
    this.#retry = kept;
    if (kept.length > 0) {
      this.#retryTimer = setTimeout(() => this.flush(), RETRY_DELAY_MS);
      this.#retryTimer.unref();
    }
    this.#onFailure?.(error);
  }

  /** Stops timers; returns how many retried rows are still uncommitted (lost if the log closes now). */
  stop(): number {
    if (this.#immediate) clearImmediate(this.#immediate);
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#immediate = undefined;
    this.#retryTimer = undefined;
    const lost = this.pending;
    for (const write of this.#queue) write.settle?.reject(new AuditWriteError('the audit log is closed'));
    this.#queue = [];
    this.#retry = [];
    return lost;
  }
}
