import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  HASHED_COLUMNS,
  canonicalRow,
  rowHash,
  verifyChain,
  type ChainRow,
  type StoredRow,
} from '../../../electron/main/audit/hash-chain.ts';
import { expectBroken, intent, useAuditFolder } from './audit-fixtures.ts';

function row(seq: number, prev: string, extra: Partial<ChainRow> = {}): StoredRow {
  const fields = Object.fromEntries(HASHED_COLUMNS.map((c) => [c, null])) as Record<string, unknown>;
  const hashed = {
    ...fields,
    seq,
    at: new Date(1_700_000_000_000 + seq).toISOString(),
    run_id: 'run',
    mono_ns: 10n ** 18n + BigInt(seq),
    kind: 'call',
    tool: `tool-${seq}`,
    duration_ms: 1.5,
    prev_hash: prev,
    ...extra,
  } as ChainRow;
  return { ...hashed, hash: rowHash(hashed) };
}

function chain(length: number, first = 1, prev = GENESIS_HASH): StoredRow[] {
  const rows: StoredRow[] = [];
  for (let seq = first; seq < first + length; seq++) {
    const next = row(seq, prev);
    rows.push(next);
    prev = next.hash as string;
  }
  return rows;
}

describe('rowHash', () => {
  it('covers every hashed column and the previous hash', () => {
    const base = row(1, GENESIS_HASH);
    for (const column of HASHED_COLUMNS) {
      const changed = { ...base, [column]: column === 'seq' ? 2 : 'changed' } as ChainRow;
      expect(rowHash(changed), column).not.toBe(base.hash);
    }
  });

  it('hashes numbers and bigints with the same value alike (SQLite may return either)', () => {
    const a = row(1, GENESIS_HASH, { seq: 1, result_bytes: 42 });
    const b = { ...a, seq: 1n, result_bytes: 42n, mono_ns: BigInt(a.mono_ns as bigint) };
    expect(rowHash(b)).toBe(a.hash);
    expect(canonicalRow(a)).toContain('"duration_ms":1.5');
    expect(canonicalRow(a)).toMatch(/^\{"approval_answer":null,/);
  });

  it('tells null from the text "null" and from an empty string', () => {
    const base = row(1, GENESIS_HASH);
    expect(rowHash({ ...base, error: 'null' })).not.toBe(rowHash({ ...base, error: null }));
    expect(rowHash({ ...base, error: '' })).not.toBe(rowHash({ ...base, error: null }));
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain from genesis and from an anchor', () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, checked: 5 });
    expect(verifyChain([])).toEqual({ ok: true, checked: 0 });
    const anchored = chain(3, 11, 'a'.repeat(64));
    expect(verifyChain(anchored, { seq: 10, hash: 'a'.repeat(64) })).toEqual({ ok: true, checked: 3 });
  });

  it('names an edited record', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, args: '{"edited":true}' };
    expectBroken(verifyChain(rows), 3, /edited/);
  });

  it('names the record after an edit whose hash was recomputed', () => {
    const rows = chain(5);
    const edited = { ...rows[2]!, args: '{"edited":true}' };
    rows[2] = { ...edited, hash: rowHash(edited) };
    expectBroken(verifyChain(rows), 4, /does not link to record 3/);
  });

  it('names a deleted record as a gap', () => {
    const rows = chain(6);
    rows.splice(2, 2);
    expectBroken(verifyChain(rows), 3, /records 3–4 are missing.*jumps from 2 to 5/);
    expectBroken(verifyChain(chain(3).slice(1)), 1, /record 1 is missing/);
  });

  it('names an inserted or repeated record', () => {
    const rows = chain(3);
    rows.splice(2, 0, rows[1]!);
    expectBroken(verifyChain(rows), 2, /out of place/);
  });

  it('rejects a chain that does not start at the anchor', () => {
    expectBroken(verifyChain(chain(3, 11), { seq: 10, hash: 'b'.repeat(64) }), 11, /pruning anchor/);
    expectBroken(verifyChain(chain(3, 1, 'c'.repeat(64))), 1, /genesis/);
  });
});

describe('tampering with the SQLite file', () => {
  const folder = useAuditFolder();

  async function filledLog(calls: number) {
    const log = folder.open();
    for (let i = 0; i < calls; i++) {
      const seq = await log.writeIntent(intent({ tool: `tool_${i}` }));
      await log.writeOutcome(seq, { outcome: 'ok', durationMs: 2 });
    }
    expect(log.verify()).toEqual({ ok: true, checked: calls * 2 });
    return log;
  }

  function attacker(fn: (db: Database.Database) => void): void {
    const db = new Database(folder.file());
    try {
      fn(db);
    } finally {
      db.close();
    }
  }

  it('refuses updates from any connection while the append-only trigger is there', async () => {
    await filledLog(1);
    attacker((db) => {
      expect(() => db.prepare(`UPDATE audit_log SET args = '{}' WHERE seq = 1`).run()).toThrow(/append-only/);
    });
  });

  it('detects edited arguments and names that record', async () => {
    const log = await filledLog(4);
    attacker((db) => {
      db.exec('DROP TRIGGER audit_log_append_only');
      db.prepare(`UPDATE audit_log SET args = '{"repo":"evil/other"}' WHERE seq = 5`).run();
    });
    expectBroken(log.verify(), 5, /edited/);
  });

  it('detects a deleted middle record and names the gap', async () => {
    const log = await filledLog(4);
    attacker((db) => db.prepare('DELETE FROM audit_log WHERE seq = 4').run());
    expectBroken(log.verify(), 4, /record 4 is missing/);
  });

  it('detects a forged anchor', async () => {
    const log = await filledLog(3);
    log.prune(1, new Date(Date.now() + 2 * 86_400_000));
    await log.writeIntent(intent());
    attacker((db) => db.prepare(`UPDATE chain_anchor SET hash = ?`).run('f'.repeat(64)));
    expectBroken(log.verify(), 7, /anchor/);
  });
});
