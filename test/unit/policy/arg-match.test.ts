import { describe, expect, it } from 'vitest';
import type { ArgMatch } from '../../../shared/schemas/policy.ts';
import {
  argMatches,
  deepEqual,
  MAX_REGEX_LENGTH,
  MAX_REGEX_SUBJECT_LENGTH,
  validateRule,
} from '../../../electron/main/policy/arg-match.ts';

const ARGS = {
  path: '/home/me/notes.txt',
  count: 3,
  force: true,
  nothing: null,
  tags: ['a', 'b'],
  options: { recursive: true, depth: 2 },
  'a/b': 'slash key',
};

describe('deepEqual', () => {
  it.each([
    [1, 1.0, true],
    [0, -0, true],
    ['1', 1, false],
    [null, null, true],
    [null, {}, false],
    [true, 1, false],
    [[1, 2], [1, 2], true],
    [[1, 2], [2, 1], false],
    [[], {}, false],
    [{ a: 1, b: { c: [1] } }, { b: { c: [1] }, a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: 1, b: 2 }, { a: 1 }, false],
    [{ a: undefined }, { b: undefined }, false],
  ])('%j vs %j: %s', (a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
    expect(deepEqual(b, a)).toBe(expected);
  });
});

describe('argMatches', () => {
  it.each<[string, ArgMatch, boolean]>([
    ['equals string', { pointer: '/path', op: 'equals', value: '/home/me/notes.txt' }, true],
    ['equals other string', { pointer: '/path', op: 'equals', value: '/etc/passwd' }, false],
    ['equals number by value', { pointer: '/count', op: 'equals', value: 3.0 }, true],
    ['equals number vs string', { pointer: '/count', op: 'equals', value: '3' }, false],
    ['equals boolean', { pointer: '/force', op: 'equals', value: true }, true],
    ['equals null', { pointer: '/nothing', op: 'equals', value: null }, true],
    [
      'equals object, other key order',
      { pointer: '/options', op: 'equals', value: { depth: 2, recursive: true } },
      true,
    ],
    ['equals object, subset', { pointer: '/options', op: 'equals', value: { recursive: true } }, false],
    ['equals array', { pointer: '/tags', op: 'equals', value: ['a', 'b'] }, true],
    ['equals array, other order', { pointer: '/tags', op: 'equals', value: ['b', 'a'] }, false],
    ['equals whole arguments', { pointer: '', op: 'equals', value: { ...ARGS } }, true],
    ['equals escaped key', { pointer: '/a~1b', op: 'equals', value: 'slash key' }, true],
    ['equals missing pointer', { pointer: '/missing', op: 'equals', value: null }, false],
    ['equals with no value', { pointer: '/nothing', op: 'equals', value: undefined }, false],
    ['glob string', { pointer: '/path', op: 'glob', value: '/home/me/*' }, true],
    ['glob string mismatch', { pointer: '/path', op: 'glob', value: '/etc/*' }, false],
    ['glob literal dot', { pointer: '/path', op: 'glob', value: '*.txt' }, true],
    ['glob on a number', { pointer: '/count', op: 'glob', value: '*' }, false],
    ['glob on null', { pointer: '/nothing', op: 'glob', value: '*' }, false],
    ['glob on an array element', { pointer: '/tags/1', op: 'glob', value: '?' }, true],
    ['glob missing', { pointer: '/nope', op: 'glob', value: '*' }, false],
    ['regex unanchored', { pointer: '/path', op: 'regex', value: 'notes' }, true],
    ['regex anchored mismatch', { pointer: '/path', op: 'regex', value: '^notes' }, false],
    ['regex anchored', { pointer: '/path', op: 'regex', value: '^/home/.+\\.txt$' }, true],
    ['regex is case-sensitive', { pointer: '/path', op: 'regex', value: 'NOTES' }, false],
    ['regex unicode flag', { pointer: '/path', op: 'regex', value: '^\\p{P}home' }, true],
    ['regex on a number', { pointer: '/count', op: 'regex', value: '3' }, false],
    ['regex on a boolean', { pointer: '/force', op: 'regex', value: 'true' }, false],
    ['regex invalid', { pointer: '/path', op: 'regex', value: '(unclosed' }, false],
    ['regex invalid only under u', { pointer: '/path', op: 'regex', value: '\\-' }, false],
    ['regex missing', { pointer: '/nope', op: 'regex', value: '.*' }, false],
    ['one-of hit', { pointer: '/count', op: 'one-of', value: [1, 2, 3] }, true],
    ['one-of miss', { pointer: '/count', op: 'one-of', value: [1, 2, '3'] }, false],
    [
      'one-of objects',
      { pointer: '/options', op: 'one-of', value: [{}, { depth: 2, recursive: true }] },
      true,
    ],
    ['one-of null', { pointer: '/nothing', op: 'one-of', value: [null] }, true],
    ['one-of missing', { pointer: '/nope', op: 'one-of', value: [null] }, false],
    ['invalid pointer', { pointer: 'path', op: 'equals', value: '/home/me/notes.txt' }, false],
  ])('%s', (_name, match, expected) => {
    expect(argMatches(match, ARGS)).toBe(expected);
  });

  it('never matches a regex against a string longer than the limit', () => {
    const at = 'x'.repeat(MAX_REGEX_SUBJECT_LENGTH);
    const over = 'x'.repeat(MAX_REGEX_SUBJECT_LENGTH + 1);
    expect(argMatches({ pointer: '/s', op: 'regex', value: 'x' }, { s: at })).toBe(true);
    expect(argMatches({ pointer: '/s', op: 'regex', value: 'x' }, { s: over })).toBe(false);
    // Globs and equality have no length limit.
    expect(argMatches({ pointer: '/s', op: 'glob', value: 'x*' }, { s: over })).toBe(true);
    expect(argMatches({ pointer: '/s', op: 'equals', value: over }, { s: over })).toBe(true);
  });

  it('never matches a regex pattern longer than the limit', () => {
    const ok = `${'a?'.repeat(MAX_REGEX_LENGTH / 2 - 1)}b`;
    expect(ok.length).toBeLessThanOrEqual(MAX_REGEX_LENGTH);
    expect(argMatches({ pointer: '/s', op: 'regex', value: ok }, { s: 'b' })).toBe(true);
    expect(`${ok}??`.length).toBe(MAX_REGEX_LENGTH + 1);
    expect(argMatches({ pointer: '/s', op: 'regex', value: `${ok}??` }, { s: 'b' })).toBe(false);
  });

  it('does not keep regex state between calls', () => {
    const match: ArgMatch = { pointer: '/s', op: 'regex', value: 'a' };
    expect(argMatches(match, { s: 'a' })).toBe(true);
    expect(argMatches(match, { s: 'a' })).toBe(true);
  });

  it('sees nothing in absent or non-object arguments', () => {
    expect(argMatches({ pointer: '/a', op: 'equals', value: 1 }, undefined)).toBe(false);
    expect(argMatches({ pointer: '/a', op: 'equals', value: 1 }, 'a')).toBe(false);
    expect(argMatches({ pointer: '', op: 'equals', value: {} }, {})).toBe(true);
  });
});

describe('validateRule', () => {
  const base = { id: 'r_abc123', action: 'deny', createdAt: '2026-01-01T00:00:00Z' };

  it('accepts a good rule', () => {
    expect(
      validateRule({
        ...base,
        server: 'git*',
        tool: 'delete_?',
        args: [
          { pointer: '/path', op: 'regex', value: '^/etc/' },
          { pointer: '', op: 'one-of', value: [{}] },
          { pointer: '/a~1b', op: 'equals', value: null },
        ],
        expiresAt: '2026-02-01T00:00:00Z',
      }),
    ).toEqual([]);
  });

  it('reports schema problems with their field', () => {
    const problems = validateRule({ ...base, id: 'bad', action: 'maybe' });
    expect(problems.map((p) => p.field).sort()).toEqual(['action', 'id']);
  });

  it('reports an invalid regex, a too long regex, a bad pointer and a missing equals value', () => {
    const problems = validateRule({
      ...base,
      args: [
        { pointer: '/a', op: 'regex', value: '(' },
        { pointer: '/a', op: 'regex', value: 'a'.repeat(MAX_REGEX_LENGTH + 1) },
        { pointer: 'a', op: 'glob', value: '*' },
        { pointer: '/a~2', op: 'equals', value: undefined },
      ],
    });
    expect(problems.map((p) => p.field)).toEqual([
      'args.0.value',
      'args.1.value',
      'args.2.pointer',
      'args.3.pointer',
      'args.3.value',
    ]);
    expect(problems[0]!.message).toMatch(/^invalid regex/);
    expect(problems[1]!.message).toMatch(/longer than 500/);
  });

  it('reports a missing equals value (schema) and an unreadable expiry', () => {
    expect(validateRule({ ...base, args: [{ pointer: '/a', op: 'equals' }] }).map((p) => p.field)).toEqual([
      'args.0.value',
    ]);
    expect(validateRule({ ...base, expiresAt: 'tomorrow' }).map((p) => p.field)).toEqual(['expiresAt']);
  });
});
