import type { AuditRecord } from '../../../shared/schemas/audit.ts';
import { csvHeader, csvLine, jsonLine } from '../../../electron/main/audit/audit-export.ts';

export type ExportFormat = 'jsonl' | 'csv';

/**
 * Audit records as an export file's text: JSON Lines, or CSV with the same columns and formula
 * defusing as `gatehouse audit export` (one shared formatter).
 */
export function exportText(records: readonly AuditRecord[], format: ExportFormat): string {
  if (format === 'jsonl') return records.map(jsonLine).join('');
  return csvHeader() + records.map(csvLine).join('');
}

/** A file name for an export made at `now`: `gatehouse-audit-2026-11-24T12-00-00Z.csv`. */
export function exportFileName(format: ExportFormat, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  return `gatehouse-audit-${stamp}.${format}`;
}
