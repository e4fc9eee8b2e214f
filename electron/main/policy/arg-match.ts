import { ruleSchema } from '../../../shared/schemas/policy.ts';
import type { ArgMatch } from '../../../shared/schemas/policy.ts';
import { globMatches } from './glob.ts';
import { parsePointer, resolvePointer } from './json-pointer.ts';

/** Longest `regex` pattern a rule may hold; a longer one never matches and `validateRule` reports it. */
export const MAX_REGEX_LENGTH = 500;

/** A string argument longer than this (UTF-16 code units) never matches a `regex` matcher. */
export const MAX_REGEX_SUBJECT_LENGTH = 10_000;

/**
 * Deep structural equality of JSON values: primitives by `===` (numbers by value, so `1` equals `1.0`),
 * arrays element by element in order, objects by the same set of own keys with equal values (key order
 * irrelevant). An array never equals an object.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  return aKeys.every((key) => Object.hasOwn(b, key) && deepEqual(aRecord[key], bRecord[key]));
}

/** Compiles a `regex` matcher's pattern (flag `u`), or returns the reason it cannot be used. */
export function compileArgRegex(
  pattern: string,
): { ok: true; regex: RegExp } | { ok: false; problem: string } {
  if (pattern.length > MAX_REGEX_LENGTH) {
    return { ok: false, problem: `regex is longer than ${MAX_REGEX_LENGTH} characters` };
  }
  try {
    return { ok: true, regex: new RegExp(pattern, 'u') };
  } catch (error) {
    return { ok: false, problem: `invalid regex: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * True when the argument value at `match.pointer` satisfies the matcher:
 * - `equals`: deep-equal to `match.value` ({@link deepEqual});
 * - `glob`: a string matching the glob (electron/main/policy/glob.ts);
 * - `regex`: a string of at most {@link MAX_REGEX_SUBJECT_LENGTH} characters in which
 *   `new RegExp(value, 'u')` finds a match (unanchored: use `^…$` to match the whole string); an invalid
 *   or too long pattern never matches;
 * - `one-of`: deep-equal to any element of `match.value`.
 *
 * A pointer that resolves to nothing (or is invalid) never matches; nor does a value of the wrong type.
 */
export function argMatches(match: ArgMatch, args: unknown): boolean {
  const resolved = resolvePointer(args, match.pointer);
  if (!resolved.found) return false;
  const actual = resolved.value;
  switch (match.op) {
    case 'equals':
      return deepEqual(actual, match.value);
    case 'glob':
      return typeof actual === 'string' && globMatches(match.value, actual);
    case 'regex': {
      if (typeof actual !== 'string' || actual.length > MAX_REGEX_SUBJECT_LENGTH) return false;
      const compiled = compileArgRegex(match.value);
      return compiled.ok && compiled.regex.test(actual);
    }
    case 'one-of':
      return match.value.some((candidate) => deepEqual(actual, candidate));
  }
}

/** One reason a rule cannot be saved: `field` is a dotted path into the rule (`args.0.value`). */
export interface RuleProblem {
  field: string;
  message: string;
}

/**
 * Checks a rule before it is saved, so the CLI and the UI can refuse it: the schema
 * (shared/schemas/policy.ts) first, then what the schema cannot express: pointer syntax (RFC 6901),
 * regex validity and length, a missing `equals` value, an unparsable `expiresAt`. An empty list means
 * the rule is fine. Whether it has already expired is not a problem (callers may warn about it).
 */
export function validateRule(rule: unknown): RuleProblem[] {
  const parsed = ruleSchema.safeParse(rule);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.'),
      message: issue.message,
    }));
  }
  const problems: RuleProblem[] = [];
  parsed.data.args.forEach((match, i) => {
    if (parsePointer(match.pointer) === undefined) {
      problems.push({
        field: `args.${i}.pointer`,
        message: `"${match.pointer}" is not a JSON Pointer: use "" or "/name/0" (~0 for ~, ~1 for /)`,
      });
    }
    if (match.op === 'regex') {
      const compiled = compileArgRegex(match.value);
      if (!compiled.ok) problems.push({ field: `args.${i}.value`, message: compiled.problem });
    }
    if (match.op === 'equals' && match.value === undefined) {
      problems.push({ field: `args.${i}.value`, message: 'equals needs a value' });
    }
  });
  const { expiresAt } = parsed.data;
  if (expiresAt !== undefined && Number.isNaN(Date.parse(expiresAt))) {
    problems.push({ field: 'expiresAt', message: `"${expiresAt}" is not a date` });
  }
  return problems;
}
