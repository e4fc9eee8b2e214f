/**
 * RFC 6901 JSON Pointers, used by argument matchers to pick a value out of a call's arguments.
 *
 * `""` is the whole document; otherwise the pointer is `/`-separated reference tokens in which `~1`
 * stands for `/` and `~0` for `~` (any other `~` makes the pointer invalid). An array is indexed by a
 * decimal number without leading zeros (`0`, `12`, not `01`); `-` (the element after the last) never
 * resolves. Object members are looked up as own properties only, so `__proto__` or `constructor` never
 * reach the prototype chain. The URI-fragment form (`#/a`) is not accepted.
 */

/** The outcome of resolving a pointer: the value, or nothing (missing member, bad index, bad pointer). */
export type PointerResult = { found: true; value: unknown } | { found: false };

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;
const BAD_ESCAPE = /~(?:[^01]|$)/;

/** Splits a pointer into its unescaped reference tokens, or returns undefined when it is not valid. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  const tokens = pointer.slice(1).split('/');
  if (tokens.some((token) => BAD_ESCAPE.test(token))) return undefined;
  // RFC 6901 §4: first `~1` to `/`, then `~0` to `~`, so `~01` becomes `~1` and not `/`.
  return tokens.map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** True when the string is a syntactically valid RFC 6901 pointer. */
export function isValidPointer(pointer: string): boolean {
  return parsePointer(pointer) !== undefined;
}

/**
 * Resolves `pointer` against `value`. Returns `{ found: false }` when the pointer is invalid, when a
 * step is missing, or when the value reached is `undefined` (not a JSON value).
 */
export function resolvePointer(value: unknown, pointer: string): PointerResult {
  const tokens = parsePointer(pointer);
  if (tokens === undefined) return { found: false };
  let current: unknown = value;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(token)) return { found: false };
      const index = Number(token);
      if (index >= current.length) return { found: false };
      current = current[index] as unknown;
    } else if (typeof current === 'object' && current !== null) {
      if (!Object.hasOwn(current, token)) return { found: false };
      current = (current as Record<string, unknown>)[token];
    } else {
      return { found: false };
    }
  }
  return current === undefined ? { found: false } : { found: true, value: current };
}
