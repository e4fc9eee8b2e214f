// Crash recovery bookkeeping. Calls are written ahead, so after a crash some intents have no outcome:
// those calls were in flight and may or may not have run. At open they get an `interrupted` outcome.
// To keep opening fast on a large log, `audit_meta.recovered_through` remembers up to where no
// intent can be missing its outcome, and only later rows are scanned.
import type { AuditDatabase } from './audit-db.ts';
import type { StoredRow } from './hash-chain.ts';

/** The error text of an `interrupted` outcome. */
export const INTERRUPTED_ERROR =
  'Gatehouse stopped before the call finished; the server may or may not have run it';

const MAX_TRACKED_CALLS = 100_000;

/** Seqs of intents after `through` that have no outcome, oldest first. */
export function findUnfinishedCalls(db: AuditDatabase): number[] {
  const meta = db.prepare(`SELECT value FROM audit_meta WHERE key = 'recovered_through'`).get() as
    { value: string } | undefined;
  return db
    .prepare(
      `SELECT seq FROM audit_log i
       WHERE i.kind = 'call' AND i.seq > ? AND i.outcome IS NULL
         AND NOT EXISTS (SELECT 1 FROM audit_log o WHERE o.kind = 'outcome' AND o.call_seq = i.seq)
       ORDER BY i.seq`,
    )
    .pluck()
    .all(Number(meta?.value ?? 0)) as number[];
}

/** Records that no intent up to `seq` lacks an outcome. */
export function saveRecoveredThrough(db: AuditDatabase, seq: number): void {
  db.prepare(
    `INSERT INTO audit_meta (key, value) VALUES ('recovered_through', @value)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ).run({ value: String(seq) });
}

/** Follows committed rows to know which calls are open (intent committed, outcome not yet). */
export class OpenCalls {
  readonly #open = new Set<number>();
  #overflow = false;

  /** Called with the rows of every commit. */
  track(rows: readonly StoredRow[]): void {
    if (this.#overflow) return;
    for (const row of rows) {
      if (row.kind === 'call') this.#open.add(Number(row.seq));
      else if (row.kind === 'outcome') this.#open.delete(Number(row.call_seq));
    }
    // A caller that never writes outcomes must not grow memory: stop tracking; the next open rescans.
    if (this.#open.size > MAX_TRACKED_CALLS) {
      this.#overflow = true;
      this.#open.clear();
    }
  }

  /** Up to where recovery may skip, given the last committed seq; undefined when unknown. */
  recoveredThrough(headSeq: number): number | undefined {
    if (this.#overflow) return undefined;
    let through = headSeq;
    for (const seq of this.#open) through = Math.min(through, seq - 1);
    return through;
  }
}
