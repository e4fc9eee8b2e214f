import { describe, expect, it } from 'vitest';
import type { DiffEntry } from '../../../shared/schemas/changes.ts';
import { diffEntrySchema } from '../../../shared/schemas/changes.ts';
import {
  diffDefinitions,
  diffWords,
  renderDiff,
  visibleText,
  type TextPart,
} from '../../../electron/main/pinning/diff.ts';

const rejoin = (parts: TextPart[], side: 'before' | 'after') =>
  parts
    .filter((p) => p.op === 'same' || p.op === (side === 'before' ? 'removed' : 'added'))
    .map((p) => p.text)
    .join('');

const PAIRS: [string, string][] = [
  ['Reads a file', 'Reads a file and sends it to http://x'],
  ['Reads a file', 'Secretly reads a file'],
  ['a b c d', 'x y z d'],
  ['', 'New text'],
  ['Old text', ''],
  ['same', 'same'],
  ['  leading and trailing  ', ' leading, trailing\n'],
  ['line one\nline two\n\nline three', 'line one\n\tline 2\nline three extra'],
  ['Reads  a   file.', 'Reads a file.'],
  ['The quick brown fox jumps over the lazy dog', 'The slow brown cat jumps under the lazy dog today'],
  ['\u200b hidden\u202e', 'hidden'],
];

describe('diffWords', () => {
  it.each(PAIRS)('parts rejoin to both texts (%j -> %j)', (before, after) => {
    const parts = diffWords(before, after);
    expect(rejoin(parts, 'before')).toBe(before);
    expect(rejoin(parts, 'after')).toBe(after);
  });

  it.each(PAIRS)('has no empty parts and merges neighbours with the same op (%j -> %j)', (before, after) => {
    const parts = diffWords(before, after);
    expect(parts.every((p) => p.text.length > 0)).toBe(true);
    for (let i = 1; i < parts.length; i++) expect(parts[i]?.op).not.toBe(parts[i - 1]?.op);
  });

  it('shows an appended sentence as one added part', () => {
    expect(diffWords('Reads a file', 'Reads a file and sends it to http://x')).toEqual([
      { op: 'same', text: 'Reads a file' },
      { op: 'added', text: ' and sends it to http://x' },
    ]);
  });

  it('gives a changed stretch as one removed part then one added part, folding lone spaces', () => {
    expect(diffWords('a b c d', 'x y z d')).toEqual([
      { op: 'removed', text: 'a b c' },
      { op: 'added', text: 'x y z' },
      { op: 'same', text: ' d' },
    ]);
  });

  it('replaces a single word', () => {
    expect(diffWords('Reads a file', 'Reads the file')).toEqual([
      { op: 'same', text: 'Reads ' },
      { op: 'removed', text: 'a' },
      { op: 'added', text: 'the' },
      { op: 'same', text: ' file' },
    ]);
  });

  it('gives one same part for equal texts and nothing for two empty texts', () => {
    expect(diffWords('Reads a file', 'Reads a file')).toEqual([{ op: 'same', text: 'Reads a file' }]);
    expect(diffWords('', '')).toEqual([]);
  });

  it('still rejoins when the texts are too large for a full LCS', () => {
    const before = Array.from({ length: 2500 }, (_, i) => `w${i}`).join(' ');
    const after = Array.from({ length: 2500 }, (_, i) => `v${i}`).join(' ');
    const parts = diffWords(`start ${before} end`, `start ${after} end`);
    expect(rejoin(parts, 'before')).toBe(`start ${before} end`);
    expect(rejoin(parts, 'after')).toBe(`start ${after} end`);
    expect(parts[0]).toEqual({ op: 'same', text: 'start ' });
  });
});

const tool = {
  name: 'create_issue',
  description: 'Creates an issue.',
  inputSchema: {
    type: 'object',
    properties: {
      repo: { type: 'string', description: 'Repository name' },
      title: { type: 'string' },
      labels: { type: 'array', items: { enum: ['bug', 'docs'] } },
    },
    required: ['repo', 'title'],
  },
  annotations: { readOnlyHint: false, destructiveHint: false },
};

describe('diffDefinitions', () => {
  it('gives nothing for equal definitions, whatever their key order', () => {
    const reordered = JSON.parse(JSON.stringify(tool)) as typeof tool;
    expect(diffDefinitions(tool, reordered)).toEqual([]);
    expect(diffDefinitions({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toEqual([]);
  });

  it('diffs the description word by word', () => {
    const after = { ...tool, description: 'Creates an issue and emails it.' };
    expect(diffDefinitions(tool, after)).toEqual([
      {
        type: 'text',
        path: '/description',
        parts: [
          { op: 'same', text: 'Creates an ' },
          { op: 'removed', text: 'issue.' },
          { op: 'added', text: 'issue and emails it.' },
        ],
      },
    ]);
  });

  it('diffs descriptions nested in schemas as text, at a JSON Pointer path', () => {
    const after = structuredClone(tool);
    after.inputSchema.properties.repo.description = 'Repository name (owner/name)';
    const entries = diffDefinitions(tool, after);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ type: 'text', path: '/inputSchema/properties/repo/description' });
  });

  it('gives a text entry when a description appears or disappears', () => {
    const { description: _, ...without } = tool;
    expect(diffDefinitions(without, tool)).toEqual([
      { type: 'text', path: '/description', parts: [{ op: 'added', text: 'Creates an issue.' }] },
    ]);
    expect(diffDefinitions(tool, without)).toEqual([
      { type: 'text', path: '/description', parts: [{ op: 'removed', text: 'Creates an issue.' }] },
    ]);
  });

  it('diffs a parameter named "title" structurally (it is a schema, not prose)', () => {
    const after = structuredClone(tool);
    after.inputSchema.properties.title.type = 'number';
    expect(diffDefinitions(tool, after)).toEqual([
      {
        type: 'value',
        path: '/inputSchema/properties/title/type',
        op: 'changed',
        before: 'string',
        after: 'number',
      },
    ]);
  });

  it('reports added, removed and changed schema paths', () => {
    const after = structuredClone(tool) as Record<string, unknown> & typeof tool;
    const properties = after.inputSchema.properties as Record<string, unknown>;
    properties['repo'] = { type: 'integer', description: 'Repository name' };
    delete properties['labels'];
    properties['token'] = { type: 'string' };
    expect(diffDefinitions(tool, after)).toEqual([
      {
        type: 'value',
        path: '/inputSchema/properties/labels',
        op: 'removed',
        before: { type: 'array', items: { enum: ['bug', 'docs'] } },
      },
      {
        type: 'value',
        path: '/inputSchema/properties/repo/type',
        op: 'changed',
        before: 'string',
        after: 'integer',
      },
      { type: 'value', path: '/inputSchema/properties/token', op: 'added', after: { type: 'string' } },
    ]);
  });

  it('compares required as a set: reordering is not a change', () => {
    const after = structuredClone(tool);
    after.inputSchema.required = ['title', 'repo'];
    expect(diffDefinitions(tool, after)).toEqual([]);
    after.inputSchema.required = ['title', 'repo', 'repo'];
    expect(diffDefinitions(tool, after)).toEqual([]);
  });

  it('reports a changed required set once, with both arrays', () => {
    const after = structuredClone(tool);
    after.inputSchema.required = ['title', 'labels'];
    expect(diffDefinitions(tool, after)).toEqual([
      {
        type: 'value',
        path: '/inputSchema/required',
        op: 'changed',
        before: ['repo', 'title'],
        after: ['title', 'labels'],
      },
    ]);
  });

  it('compares other arrays by index', () => {
    const after = structuredClone(tool);
    after.inputSchema.properties.labels.items.enum = ['docs', 'bug', 'chore'];
    expect(diffDefinitions(tool, after)).toEqual([
      {
        type: 'value',
        path: '/inputSchema/properties/labels/items/enum/0',
        op: 'changed',
        before: 'bug',
        after: 'docs',
      },
      {
        type: 'value',
        path: '/inputSchema/properties/labels/items/enum/1',
        op: 'changed',
        before: 'docs',
        after: 'bug',
      },
      { type: 'value', path: '/inputSchema/properties/labels/items/enum/2', op: 'added', after: 'chore' },
    ]);
  });

  it('reports annotation flips and added hints', () => {
    const after = {
      ...tool,
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
    };
    expect(diffDefinitions(tool, after)).toEqual([
      { type: 'value', path: '/annotations/destructiveHint', op: 'changed', before: false, after: true },
      { type: 'value', path: '/annotations/openWorldHint', op: 'added', after: true },
    ]);
  });

  it('sorts paths, array indexes numerically', () => {
    const before = { z: 1, items: Array.from({ length: 12 }, () => 0), a: 1 };
    const after = { z: 2, items: before.items.map((_, i) => (i === 2 || i === 10 ? 1 : 0)), a: 2 };
    expect(diffDefinitions(before, after).map((e) => e.path)).toEqual(['/a', '/items/2', '/items/10', '/z']);
  });

  it('escapes "/" and "~" in JSON Pointer paths', () => {
    const entries = diffDefinitions({ properties: { 'a/b~c': 1 } }, { properties: { 'a/b~c': 2 } });
    expect(entries.map((e) => e.path)).toEqual(['/properties/a~1b~0c']);
  });

  it('treats a null member and a missing one as different, -0 and 0 as equal', () => {
    expect(diffDefinitions({ a: null }, {})).toEqual([
      { type: 'value', path: '/a', op: 'removed', before: null },
    ]);
    expect(diffDefinitions({ a: -0 }, { a: 0 })).toEqual([]);
    expect(diffDefinitions({ a: undefined }, {})).toEqual([]);
  });

  it('reports a type change at its path, and whole-value changes at the root', () => {
    expect(diffDefinitions({ a: { b: 1 } }, { a: [1] })).toEqual([
      { type: 'value', path: '/a', op: 'changed', before: { b: 1 }, after: [1] },
    ]);
    expect(diffDefinitions(undefined, { a: 1 })).toEqual([
      { type: 'value', path: '', op: 'added', after: { a: 1 } },
    ]);
  });

  it('diffs instructions and titles as text', () => {
    const entries = diffDefinitions(
      { instructions: 'Be brief.' },
      { instructions: 'Be brief. Always call x.' },
    );
    expect(entries[0]).toMatchObject({ type: 'text', path: '/instructions' });
    expect(
      diffDefinitions({ annotations: { title: 'A' } }, { annotations: { title: 'B' } })[0],
    ).toMatchObject({
      type: 'text',
      path: '/annotations/title',
    });
  });

  it('gives entries that match the shared DiffEntry schema', () => {
    const after = { ...tool, description: 'Other', annotations: {}, extra: [1] };
    for (const entry of diffDefinitions(tool, after)) expect(diffEntrySchema.parse(entry)).toEqual(entry);
  });
});

describe('renderDiff', () => {
  it('renders text and value entries, one per line', () => {
    const after = structuredClone(tool) as typeof tool & { annotations: Record<string, unknown> };
    after.description = 'Creates an issue and sends it to http://x';
    after.annotations = { readOnlyHint: false, destructiveHint: true };
    (after.inputSchema.properties as Record<string, unknown>)['token'] = { type: 'string' };
    delete (after.inputSchema.properties as Record<string, unknown>)['labels'];
    expect(renderDiff(diffDefinitions(tool, after))).toBe(
      [
        '~ annotations/destructiveHint: false -> true',
        '~ description: Creates an [-issue.-][+issue and sends it to http://x+]',
        '- inputSchema/properties/labels: {"items":{"enum":["bug","docs"]},"type":"array"}',
        '+ inputSchema/properties/token: {"type":"string"}',
      ].join('\n'),
    );
  });

  it('indents multi-line texts under their path', () => {
    const entries = diffDefinitions({ description: 'One.\nTwo.' }, { description: 'One.\nTwo. Three.' });
    expect(renderDiff(entries)).toBe('~ description:\n    One.\n    Two.[+ Three.+]');
  });

  it('writes invisible, bidi and control characters as <U+XXXX>', () => {
    const entries = diffDefinitions(
      { description: 'Reads' },
      { description: 'Reads\u200b \u202eevil \u001b[2Kx' },
    );
    const text = renderDiff(entries);
    expect(text).toContain('<U+200B>');
    expect(text).toContain('<U+202E>');
    expect(text).toContain('<U+001B>[2Kx');
    for (const ch of ['\u200b', '\u202e', '\u001b']) expect(text).not.toContain(ch);
  });

  it('shortens long unchanged stretches', () => {
    const long = 'word '.repeat(100);
    const text = renderDiff(diffDefinitions({ description: `${long}end` }, { description: `${long}end!` }));
    expect(text.length).toBeLessThan(120);
    expect(text).toMatch(/^~ description: …word .*\[-end-\]\[\+end!\+\]$/);
  });

  it('labels the root and renders nothing for no entries', () => {
    const entries: DiffEntry[] = [{ type: 'value', path: '', op: 'changed', before: 1, after: 2 }];
    expect(renderDiff(entries)).toBe('~ (definition): 1 -> 2');
    expect(renderDiff([])).toBe('');
  });
});

describe('visibleText', () => {
  it('shows hidden characters and keeps ordinary text, tabs, newlines and CRLF', () => {
    expect(visibleText('a\u200bb\u{E0041}c')).toBe('a<U+200B>b<U+E0041>c');
    expect(visibleText('café\t☕\r\nnext 👍\ufe0f')).toBe('café\t☕\r\nnext 👍\ufe0f');
    expect(visibleText('a\rb')).toBe('a<U+000D>b');
  });
});
