import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalHash, canonicalJson } from '../../../electron/main/base/canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts object keys at every depth', () => {
    const value = { b: 1, a: { d: [{ z: 1, y: 2 }], c: { f: 1, e: 2 } } };
    expect(canonicalJson(value)).toBe('{"a":{"c":{"e":2,"f":1},"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same text whatever order the keys arrived in', () => {
    const one = JSON.parse('{"x":{"b":1,"a":2},"w":[1,{"q":1,"p":2}]}') as unknown;
    const two = JSON.parse('{"w":[1,{"p":2,"q":1}],"x":{"a":2,"b":1}}') as unknown;
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('keeps array order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson(['b', 'a'])).not.toBe(canonicalJson(['a', 'b']));
  });

  it('sorts keys by UTF-16 code unit (uppercase before lowercase, surrogates before U+FFFF)', () => {
    expect(canonicalJson({ a: 1, B: 2, _: 3, '1': 4 })).toBe('{"1":4,"B":2,"_":3,"a":1}');
    expect(canonicalJson({ '\uffff': 1, '\u{1F600}': 2 })).toBe('{"\u{1F600}":2,"\uffff":1}');
  });

  it('writes numbers as JSON.stringify does: 1, 1.0 and 1e0 are the same', () => {
    const parsed = ['1', '1.0', '1e0', '10e-1'].map((text) => canonicalJson(JSON.parse(text)));
    expect(new Set(parsed)).toEqual(new Set(['1']));
    expect(canonicalJson(0.1)).toBe('0.1');
    expect(canonicalJson(1e21)).toBe('1e+21');
    expect(canonicalJson(-1.5e-7)).toBe('-1.5e-7');
  });

  it('writes -0 as 0 and non-finite numbers as null', () => {
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson({ a: -0 })).toBe(canonicalJson({ a: 0 }));
    expect(canonicalJson([NaN, Infinity, -Infinity])).toBe('[null,null,null]');
  });

  it('keeps unicode as is and escapes what JSON requires', () => {
    expect(canonicalJson('café ☕ \u{1F600}')).toBe('"café ☕ \u{1F600}"');
    expect(canonicalJson('a"b\\c\n\t\u0001')).toBe('"a\\"b\\\\c\\n\\t\\u0001"');
    expect(canonicalJson('\u2028\u200b')).toBe('"\u2028\u200b"');
    expect(canonicalJson('\ud800')).toBe('"\\ud800"'); // lone surrogate: well-formed JSON
    expect(canonicalJson({ 'k\n"': 1 })).toBe('{"k\\n\\"":1}');
  });

  it('drops undefined members, writes undefined array items and top-level undefined as null', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson({ a: undefined })).toBe(canonicalJson({}));
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ a: null })).toBe('{"a":null}');
  });

  it('writes primitives and empty containers', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson('')).toBe('""');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson([[], {}, [[]]])).toBe('[[],{},[[]]]');
  });

  it('handles deep nesting', () => {
    let value: unknown = { z: 1, a: 2 };
    for (let i = 0; i < 50; i++) value = { next: value, id: i };
    const text = canonicalJson(value);
    expect(text.startsWith('{"id":49,"next":{"id":48,')).toBe(true);
    expect(text.endsWith('{"a":2,"z":1}' + '}'.repeat(50))).toBe(true);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('has no whitespace and parses back to an equal value', () => {
    const value = { list: [1, 'two', { three: 3 }], nested: { empty: {} } };
    const text = canonicalJson(value);
    expect(text).toBe('{"list":[1,"two",{"three":3}],"nested":{"empty":{}}}');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('canonicalHash', () => {
  it('is the SHA-256 hex of the canonical JSON', () => {
    const expected = crypto.createHash('sha256').update('{"a":1,"b":[2]}', 'utf8').digest('hex');
    expect(canonicalHash({ b: [2], a: 1 })).toBe(expected);
    expect(canonicalHash({ b: [2], a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order but on every value', () => {
    expect(canonicalHash({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(canonicalHash({ a: 1 })).not.toBe(canonicalHash({ a: 2 }));
    expect(canonicalHash([1, 2])).not.toBe(canonicalHash([2, 1]));
    expect(canonicalHash('1')).not.toBe(canonicalHash(1));
  });

  it('hashes unicode as UTF-8', () => {
    const expected = crypto.createHash('sha256').update(Buffer.from('"é"', 'utf8')).digest('hex');
    expect(canonicalHash('é')).toBe(expected);
  });
});
