/**
 * Glob patterns for server and tool names (and `glob` argument matchers).
 *
 * `*` matches any sequence of characters (also none), `?` exactly one character (one Unicode code
 * point), every other character only itself: `.`, `+`, `(`, `[`, `\` and the like are literal, and there
 * is no escape syntax. A pattern is anchored (it must match the whole name) and case-sensitive.
 *
 * Matching does not build a RegExp: a linear scan with one backtrack point (the last `*`) runs in
 * O(pattern × name) time at worst, so no pattern can cause catastrophic backtracking.
 */

/** True when the pattern contains a glob character (`*` or `?`). */
export function hasGlobChars(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** True when the pattern is made only of `*` (`*`, `**`…): it matches every name. */
export function isMatchAll(pattern: string): boolean {
  return pattern.length > 0 && /^\*+$/.test(pattern);
}

/** True when `name` matches the glob `pattern` as a whole (see the module comment). */
export function globMatches(pattern: string, name: string): boolean {
  if (!hasGlobChars(pattern)) return pattern === name;
  const p = Array.from(pattern);
  const s = Array.from(name);
  let pi = 0;
  let si = 0;
  /** Index of the last `*` seen in the pattern, -1 before any. */
  let star = -1;
  /** Where in the name that `*` currently ends. */
  let mark = 0;
  while (si < s.length) {
    const pc = p[pi];
    if (pc === '*') {
      star = pi;
      pi += 1;
      mark = si;
    } else if (pc !== undefined && (pc === '?' || pc === s[si])) {
      pi += 1;
      si += 1;
    } else if (star !== -1) {
      // Let the last `*` swallow one more character and retry from just after it.
      pi = star + 1;
      mark += 1;
      si = mark;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi += 1;
  return pi === p.length;
}
