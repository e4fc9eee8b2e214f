import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../electron/main/connections/line-diff.ts';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

describe('unified diff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('f', 'a\n', 'a\n')).toBe('');
  });

  it('shows a change with three lines of context, as diff -u does', () => {
    const a = lines(10).join('\n') + '\n';
    const b = a.replace('line 5\n', 'line five\n');
    expect(unifiedDiff('f.json', a, b)).toBe(
      [
        '--- f.json',
        '+++ f.json',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+line five',
        ' line 6',
        ' line 7',
        ' line 8',
        '',
      ].join('\n'),
    );
  });

  it('splits distant changes into hunks and joins near ones', () => {
    const a = lines(30);
    const b = [...a];
    b[1] = 'changed 2';
    b[25] = 'changed 26';
    const diff = unifiedDiff('f', a.join('\n') + '\n', b.join('\n') + '\n');
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain('@@ -1,5 +1,5 @@');
    expect(diff).toContain('@@ -23,7 +23,7 @@');
    b[8] = 'changed 9';
    expect(unifiedDiff('f', a.join('\n') + '\n', b.join('\n') + '\n').match(/^@@/gm)).toHaveLength(2);
  });

  it('shows a new file against /dev/null and a missing final newline', () => {
    expect(unifiedDiff('f', undefined, 'a\nb\n')).toBe('--- /dev/null\n+++ f\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('f', 'a\nb', 'a\nb\n')).toBe(
      '--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n',
    );
  });

  it('puts removals before additions', () => {
    expect(unifiedDiff('f', 'x\n  "a": 1\n}\n', 'x\n  "a": 1,\n  "b": 2\n}\n')).toBe(
      '--- f\n+++ f\n@@ -1,3 +1,4 @@\n x\n-  "a": 1\n+  "a": 1,\n+  "b": 2\n }\n',
    );
  });
});
