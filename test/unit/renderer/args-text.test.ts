import { describe, expect, it } from 'vitest';
import { argumentsSummary, argumentsText, fullArgumentsText } from '../../../renderer/src/lib/args-text.ts';

describe('argumentsText', () => {
  it('pretty-prints short arguments unchanged', () => {
    const result = argumentsText({ path: '/tmp/x', count: 3 });
    expect(result.collapsed).toBe(false);
    expect(result.text).toBe('{\n  "path": "/tmp/x",\n  "count": 3\n}');
  });

  it('collapses long strings and says how much was left out', () => {
    const long = 'a'.repeat(500);
    const result = argumentsText({ body: long }, { maxString: 10, maxItems: 25, maxDepth: 8 });
    expect(result.collapsed).toBe(true);
    expect(result.text).toContain('"aaaaaaaaaa… (490 more characters)"');
    expect(result.text).not.toContain('a'.repeat(11));
  });

  it('collapses long arrays and deep nesting', () => {
    const result = argumentsText(
      { list: Array.from({ length: 30 }, (_, i) => i), deep: { a: { b: { c: 1 } } } },
      { maxString: 100, maxItems: 5, maxDepth: 2 },
    );
    expect(result.collapsed).toBe(true);
    expect(result.text).toContain('"… 25 more items"');
    expect(result.text).toContain('"{…}"');
  });

  it('keeps markup as plain text (never interpreted)', () => {
    const result = argumentsText({ html: '<img src=x onerror=alert(1)>' });
    expect(result.text).toContain('<img src=x onerror=alert(1)>');
  });

  it('says when there are no arguments', () => {
    expect(argumentsText(undefined).text).toBe('(no arguments)');
    expect(fullArgumentsText(undefined)).toBe('(no arguments)');
  });

  it('shows everything in full mode', () => {
    const long = 'b'.repeat(400);
    expect(fullArgumentsText({ long })).toContain(long);
  });
});

describe('argumentsSummary', () => {
  it('is one line, cut with an ellipsis', () => {
    expect(argumentsSummary({ a: 1 })).toBe('{"a":1}');
    const summary = argumentsSummary({ text: 'x'.repeat(200) }, 20);
    expect(summary).toHaveLength(20);
    expect(summary.endsWith('…')).toBe(true);
    expect(argumentsSummary(undefined)).toBe('');
  });
});
