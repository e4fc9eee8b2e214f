/** Limits for {@link argumentsText}: long strings and long arrays are shortened, never hidden. */
export interface CollapseLimits {
  /** Strings longer than this show their start and how much was left out. */
  maxString: number;
  /** Arrays longer than this show their first items and how many more there are. */
  maxItems: number;
  /** Nesting deeper than this shows a placeholder. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: CollapseLimits = { maxString: 160, maxItems: 25, maxDepth: 8 };

/** What {@link argumentsText} produced, and whether anything was left out. */
export interface ArgumentsText {
  text: string;
  collapsed: boolean;
}

/**
 * A call's arguments as text for a `<pre>`: pretty JSON with long values collapsed. The result is
 * always shown as text, never as HTML (the arguments come from whoever drives the MCP client).
 * {@link fullArgumentsText} shows everything.
 */
export function argumentsText(value: unknown, limits: CollapseLimits = DEFAULT_LIMITS): ArgumentsText {
  if (value === undefined) return { text: '(no arguments)', collapsed: false };
  const state = { collapsed: false };
  const shortened = collapse(value, limits, 0, state);
  return { text: JSON.stringify(shortened, null, 2) ?? '', collapsed: state.collapsed };
}

/** Everything, pretty-printed. */
export function fullArgumentsText(value: unknown): string {
  if (value === undefined) return '(no arguments)';
  return JSON.stringify(value, null, 2) ?? '';
}

function collapse(
  value: unknown,
  limits: CollapseLimits,
  depth: number,
  state: { collapsed: boolean },
): unknown {
  if (typeof value === 'string') {
    if (value.length <= limits.maxString) return value;
    state.collapsed = true;
    return `${value.slice(0, limits.maxString)}… (${value.length - limits.maxString} more characters)`;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= limits.maxDepth) {
    state.collapsed = true;
    return Array.isArray(value) ? `[… ${value.length} items]` : '{…}';
  }
  if (Array.isArray(value)) {
    const shown = value.slice(0, limits.maxItems).map((item) => collapse(item, limits, depth + 1, state));
    if (value.length > limits.maxItems) {
      state.collapsed = true;
      shown.push(`… ${value.length - limits.maxItems} more items`);
    }
    return shown;
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[key] = collapse(item, limits, depth + 1, state);
  return result;
}

/** A short one-line summary of arguments for tables (`{"path":"/tmp/x",…}`). */
export function argumentsSummary(value: unknown, maxLength = 80): string {
  if (value === undefined || value === null) return '';
  const text = JSON.stringify(value) ?? '';
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
