import type { AuditDatabase } from './audit-db.ts';
import type { ChainAnchor } from './hash-chain.ts';

/**
 * Deletes the records written before `cutoff` (ISO) in one transaction — only a prefix of the log,
 * up to the first call or event at or after the cutoff (outcomes go with their calls), so a clock
 * that was set back never makes a hole —
 * and stores the last deleted record as the anchor the chain is verified from. Returns how many
 * records were deleted.
 */
export function pruneBefore(db: AuditDatabase, cutoff: string): number {
  return db
    .transaction(() => {
      const firstKept = db
        .prepare(`SELECT min(seq) FROM audit_log WHERE at >= ? AND kind <> 'outcome'`)
        .pluck()
        .get(cutoff) as number | null;
      const last = (
        firstKept === null
          ? db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get()
          : db
              .prepare('SELECT seq, hash FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT 1')
              .get(firstKept)
      ) as ChainAnchor | undefined;
      if (!last) return 0;
      const deleted = db.prepare('DELETE FROM audit_log WHERE seq <= ?').run(last.seq).changes;
      db.prepare(
        `INSERT INTO chain_anchor (id, seq, hash) VALUES (1, @seq, @hash)
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
      ).run(last);
      return deleted;
    })
    .immediate();
}
