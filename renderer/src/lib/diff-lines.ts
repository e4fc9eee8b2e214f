import type { DiffEntry } from '../../../shared/schemas/changes.ts';

/** One line of a unified diff, classified for display. */
export interface DiffLine {
  kind: 'header' | 'hunk' | 'added' | 'removed' | 'context' | 'note';
  text: string;
}

/** Splits a unified diff (as `clients.preview` returns it) into classified lines. */
export function unifiedDiffLines(diff: string): DiffLine[] {
  if (!diff) return [];
  const lines = diff.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((text): DiffLine => {
    if (text.startsWith('+++') || text.startsWith('---')) return { kind: 'header', text };
    if (text.startsWith('@@')) return { kind: 'hunk', text };
    if (text.startsWith('+')) return { kind: 'added', text };
    if (text.startsWith('-')) return { kind: 'removed', text };
    if (text.startsWith('\\')) return { kind: 'note', text };
    return { kind: 'context', text };
  });
}

/** A value of a change's diff entry as short text (JSON, strings as they are). */
export function valueText(value: unknown, maxLength = 2000): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? '');
  return text.length > maxLength ? `${text.slice(0, maxLength)}… (${text.length - maxLength} more)` : text;
}

/** How one entry of a tool change's diff is shown: a path, what happened, and marked-up segments. */
export interface DiffEntryView {
  path: string;
  label: string;
  segments: { op: 'same' | 'added' | 'removed'; text: string }[];
}

/** Display data for a change's diff entries (text diffs keep their word parts; values become before/after). */
export function diffEntryViews(entries: readonly DiffEntry[]): DiffEntryView[] {
  return entries.map((entry): DiffEntryView => {
    const path = entry.path || '(whole definition)';
    if (entry.type === 'text') return { path, label: 'text changed', segments: entry.parts };
    const segments: DiffEntryView['segments'] = [];
    if (entry.op !== 'added') segments.push({ op: 'removed', text: valueText(entry.before) });
    if (entry.op !== 'removed') segments.push({ op: 'added', text: valueText(entry.after) });
    return { path, label: entry.op, segments };
  });
}
