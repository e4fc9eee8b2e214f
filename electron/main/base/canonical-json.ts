import crypto from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit at every level (as RFC 8785), no whitespace, numbers and strings
 * as JSON.stringify writes them (so `1.0` and `1` are the same value, and unicode is kept as is).
 * Two values with the same meaning give the same text, whatever order their keys arrived in —
 * what argument hashes, tool fingerprints and the audit hash chain rely on.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text; // undefined, functions: as JSON.stringify does in arrays
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** SHA-256 (hex) of a value's canonical JSON. */
export function canonicalHash(value: unknown): string {
  return crypto.createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
