import { describe, expect, it } from 'vitest';
import { isValidPointer, parsePointer, resolvePointer } from '../../../electron/main/policy/json-pointer.ts';

/** The example document of RFC 6901 §5. */
const RFC_DOC = {
  foo: ['bar', 'baz'],
  '': 0,
  'a/b': 1,
  'c%d': 2,
  'e^f': 3,
  'g|h': 4,
  'i\\j': 5,
  'k"l': 6,
  ' ': 7,
  'm~n': 8,
};

describe('resolvePointer', () => {
  it.each([
    ['', RFC_DOC],
    ['/foo', ['bar', 'baz']],
    ['/foo/0', 'bar'],
    ['/', 0],
    ['/a~1b', 1],
    ['/c%d', 2],
    ['/e^f', 3],
    ['/g|h', 4],
    ['/i\\j', 5],
    ['/k"l', 6],
    ['/ ', 7],
    ['/m~0n', 8],
  ])('RFC 6901 §5: %j', (pointer, expected) => {
    expect(resolvePointer(RFC_DOC, pointer)).toEqual({ found: true, value: expected });
  });

  it('unescapes ~1 before ~0, so ~01 means the key "~1"', () => {
    expect(resolvePointer({ '~1': 'tilde-one', '/': 'slash' }, '/~01')).toEqual({
      found: true,
      value: 'tilde-one',
    });
  });

  it('walks nested objects and arrays', () => {
    const doc = { a: { b: [{ c: null }, { c: false }] } };
    expect(resolvePointer(doc, '/a/b/1/c')).toEqual({ found: true, value: false });
    expect(resolvePointer(doc, '/a/b/0/c')).toEqual({ found: true, value: null });
  });

  it.each([
    ['/missing'],
    ['/foo/2'],
    ['/foo/-'],
    ['/foo/01'],
    ['/foo/+1'],
    ['/foo/1.0'],
    ['/foo/-1'],
    ['/foo/ 1'],
    ['/foo/0/x'],
    ['/a~1b/x'],
    ['foo'],
    ['#/foo'],
    ['/m~2n'],
    ['/m~'],
  ])('finds nothing at %j', (pointer) => {
    expect(resolvePointer(RFC_DOC, pointer)).toEqual({ found: false });
  });

  it('never reaches the prototype chain', () => {
    expect(resolvePointer({}, '/constructor')).toEqual({ found: false });
    expect(resolvePointer({}, '/__proto__')).toEqual({ found: false });
    expect(resolvePointer([], '/length')).toEqual({ found: false });
    expect(resolvePointer('text', '/length')).toEqual({ found: false });
    const parsed: unknown = JSON.parse('{"__proto__": {"x": 1}}');
    expect(resolvePointer(parsed, '/__proto__/x')).toEqual({ found: true, value: 1 });
  });

  it('treats undefined (not a JSON value) as nothing', () => {
    expect(resolvePointer(undefined, '')).toEqual({ found: false });
    expect(resolvePointer({ a: undefined }, '/a')).toEqual({ found: false });
  });
});

describe('parsePointer / isValidPointer', () => {
  it.each([
    ['', []],
    ['/', ['']],
    ['/a/b', ['a', 'b']],
    ['/a~0b~1c', ['a~b/c']],
    ['//', ['', '']],
  ])('parses %j', (pointer, tokens) => {
    expect(parsePointer(pointer)).toEqual(tokens);
    expect(isValidPointer(pointer)).toBe(true);
  });

  it.each(['a', '#/a', '/a~', '/a~2', '/~x'])('refuses %j', (pointer) => {
    expect(parsePointer(pointer)).toBeUndefined();
    expect(isValidPointer(pointer)).toBe(false);
  });
});
