import type { AuditRecord } from '../../../shared/schemas/audit.ts';

/** Export formats of the audit log. */
export type AuditExportFormat = 'jsonl' | 'csv';

/** CSV columns, in order; `args` and `detail` hold JSON text. */
export const CSV_COLUMNS = [
  'seq',
  'at',
  'kind',
  'client',
  'session',
  'server',
  'tool',
  'requestId',
  'decision',
  'ruleId',
  'risk',
  'approvalAnswer',
  'approvalMs',
  'outcome',
  'completedAt',
  'durationMs',
  'resultBytes',
  'error',
  'args',
  'detail',
] as const satisfies readonly (keyof AuditRecord)[];

/** Text a spreadsheet would run as a formula (CSV injection): such cells get a leading `'`. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. Tool arguments are
 * written by whoever drives the MCP client, so text that a spreadsheet would evaluate is defused.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV header line (with its CRLF). */
export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** One record as a CSV line (with its CRLF). */
export function csvLine(record: AuditRecord): string {
  return `${CSV_COLUMNS.map((column) => csvCell(record[column])).join(',')}\r\n`;
}

/** One record as a JSON Lines line. */
export function jsonLine(record: AuditRecord): string {
  return `${JSON.stringify(record)}\n`;
}
