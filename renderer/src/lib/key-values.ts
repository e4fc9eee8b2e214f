/** One key/value row of a form (headers, auth parameters). */
export interface KeyValueRow {
  key: string;
  value: string;
}

/**
 * Rows as a record: blank rows are skipped, a key given twice (case-insensitively for headers) or a
 * key without a value is an error.
 */
export function recordFromRows(
  rows: readonly KeyValueRow[],
  options: { what: string; caseInsensitive?: boolean },
): { value: Record<string, string> } | { error: string } {
  const result: Record<string, string> = {};
  const seen = new Set<string>();
  for (const row of rows) {
    const key = row.key.trim();
    if (!key && !row.value) continue;
    if (!key) return { error: `${options.what}: a value has no name` };
    if (!row.value) return { error: `${options.what} "${key}" has no value` };
    const id = options.caseInsensitive ? key.toLowerCase() : key;
    if (seen.has(id)) return { error: `${options.what} "${key}" is given twice` };
    seen.add(id);
    result[key] = row.value;
  }
  return { value: result };
}

/** Space- or comma-separated words (scopes, tool globs) as a list without blanks or repeats. */
export function wordList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((word) => word.trim())
        .filter(Boolean),
    ),
  ];
}
