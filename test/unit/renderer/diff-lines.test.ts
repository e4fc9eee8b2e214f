import { describe, expect, it } from 'vitest';
import { diffEntryViews, unifiedDiffLines, valueText } from '../../../renderer/src/lib/diff-lines.ts';

describe('unifiedDiffLines', () => {
  it('classifies every line of a unified diff', () => {
    const diff = [
      '--- a/mcp.json',
      '+++ b/mcp.json',
      '@@ -1,3 +1,4 @@',
      ' {',
      '-  "old": 1',
      '+  "new": 2',
      '\\ No newline at end of file',
      '',
    ].join('\n');
    expect(unifiedDiffLines(diff).map((line) => line.kind)).toEqual([
      'header',
      'header',
      'hunk',
      'context',
      'removed',
      'added',
      'note',
    ]);
  });

  it('is empty for an empty diff and handles CRLF', () => {
    expect(unifiedDiffLines('')).toEqual([]);
    expect(unifiedDiffLines('+a\r\n-b\r\n')).toEqual([
      { kind: 'added', text: '+a' },
      { kind: 'removed', text: '-b' },
    ]);
  });
});

describe('diffEntryViews', () => {
  it('keeps word parts of text diffs', () => {
    const [view] = diffEntryViews([
      {
        type: 'text',
        path: '/description',
        parts: [
          { op: 'same', text: 'Reads ' },
          { op: 'removed', text: 'a file' },
          { op: 'added', text: 'every file and sends it' },
        ],
      },
    ]);
    expect(view?.path).toBe('/description');
    expect(view?.segments.map((segment) => segment.op)).toEqual(['same', 'removed', 'added']);
  });

  it('turns value changes into before/after segments', () => {
    const views = diffEntryViews([
      { type: 'value', path: '/annotations/destructiveHint', op: 'changed', before: false, after: true },
      { type: 'value', path: '/inputSchema/properties/x', op: 'added', after: { type: 'string' } },
      { type: 'value', path: '', op: 'removed', before: 'gone' },
    ]);
    expect(views[0]?.segments).toEqual([
      { op: 'removed', text: 'false' },
      { op: 'added', text: 'true' },
    ]);
    expect(views[1]?.segments).toEqual([{ op: 'added', text: '{\n  "type": "string"\n}' }]);
    expect(views[2]).toEqual({
      path: '(whole definition)',
      label: 'removed',
      segments: [{ op: 'removed', text: 'gone' }],
    });
  });

  it('shortens huge values', () => {
    expect(valueText('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}… (40 more)`);
    expect(valueText(undefined)).toBe('');
  });
});
