// The audit log's tamper evidence: every row carries the hash of the row before it, so editing,
// deleting or inserting a row in the file breaks the chain at that row. Pure functions only.
import crypto from 'node:crypto';
import type { AuditVerify } from '../../../shared/schemas/audit.ts';

/** The previous hash of the very first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** The `audit_log` columns covered by a row's hash (every column except `hash`). */
export const HASHED_COLUMNS = [
  'seq',
  'at',
  'run_id',
  'mono_ns',
  'kind',
  'call_seq',
  'client',
  'session',
  'server',
  'tool',
  'request_id',
  'decision',
  'rule_id',
  'risk',
  'approval_answer',
  'approval_ms',
  'args',
  'args_hash',
  'outcome',
  'duration_ms',
  'result_bytes',
  'error',
  'detail',
  'prev_hash',
] as const;
export type HashedColumn = (typeof HASHED_COLUMNS)[number];

/** A cell as written to or read from SQLite (integers may come back as bigint). */
export type Cell = string | number | bigint | null;

/** The hashed part of an `audit_log` row. */
export type ChainRow = { readonly [K in HashedColumn]: Cell };

/** A row as stored: its hashed fields and its hash. */
export type StoredRow = ChainRow & { readonly hash: Cell };

/** Where the chain starts after pruning: the seq and hash of the last pruned row. */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

const SORTED_COLUMNS = [...HASHED_COLUMNS].sort();
/** `"column":` for each column, computed once: verification hashes a million rows. */
const KEY_PREFIXES = SORTED_COLUMNS.map((column, i) => `${i === 0 ? '' : ','}${JSON.stringify(column)}:`);

function canonicalCell(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return 'null';
  if (typeof cell === 'string') return JSON.stringify(cell);
  // A number and a bigint with the same integer value must hash alike (SQLite may return either).
  if (typeof cell === 'bigint') return cell.toString();
  if (!Number.isFinite(cell)) return 'null';
  if (Number.isSafeInteger(cell)) return String(cell);
  return Number.isInteger(cell) ? BigInt(cell).toString() : JSON.stringify(cell);
}

/** The canonical JSON text of a row's hashed fields (keys sorted). */
export function canonicalRow(row: ChainRow): string {
  let text = '{';
  for (let i = 0; i < SORTED_COLUMNS.length; i++) {
    text += KEY_PREFIXES[i]! + canonicalCell(row[SORTED_COLUMNS[i]!]);
  }
  return `${text}}`;
}

/** A row's hash: SHA-256 of its previous hash followed by the canonical JSON of its hashed fields. */
export function rowHash(row: ChainRow): string {
  const prev = typeof row.prev_hash === 'string' ? row.prev_hash : '';
  return crypto.hash('sha256', prev + canonicalRow(row), 'hex');
}

function missing(from: number, to: number): string {
  return from === to ? `record ${from} is missing` : `records ${from}–${to} are missing`;
}

/**
 * Checks rows in ascending seq order, starting after `anchor` (or from seq 1 and {@link GENESIS_HASH}
 * when nothing was pruned). Reports the first record that is missing, edited or out of place.
 */
export function verifyChain(rows: Iterable<StoredRow>, anchor?: ChainAnchor): AuditVerify {
  let expectedSeq = anchor ? anchor.seq + 1 : 1;
  let prevHash = anchor ? anchor.hash : GENESIS_HASH;
  let checked = 0;
  for (const row of rows) {
    const seq = Number(row.seq);
    checked++;
    if (seq > expectedSeq) {
      return {
        ok: false,
        checked,
        firstBroken: {
          seq: expectedSeq,
          reason: `${missing(expectedSeq, seq - 1)} (deleted): the chain jumps from ${expectedSeq - 1} to ${seq}`,
        },
      };
    }
    if (seq < expectedSeq) {
      return {
        ok: false,
        checked,
        firstBroken: {
          seq,
          reason: `record ${seq} is out of place: expected record ${expectedSeq} (inserted)`,
        },
      };
    }
    if (row.prev_hash !== prevHash) {
      return {
        ok: false,
        checked,
        firstBroken: {
          seq,
          reason:
            seq === (anchor ? anchor.seq + 1 : 1)
              ? `record ${seq} does not link to the start of the log (${anchor ? 'the pruning anchor' : 'genesis'}): the log was edited`
              : `record ${seq} does not link to record ${seq - 1}: a record was edited, deleted or inserted`,
        },
      };
    }
    if (rowHash(row) !== row.hash) {
      return {
        ok: false,
        checked,
        firstBroken: { seq, reason: `record ${seq} does not match its hash: it was edited` },
      };
    }
    prevHash = row.hash;
    expectedSeq = seq + 1;
  }
  return { ok: true, checked };
}
