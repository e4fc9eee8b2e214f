import { lcsOps } from '../pinning/diff.ts';

/** Lines of unchanged context around each change, as `diff -u` shows. */
const CONTEXT = 3;

type Op = { op: ' ' | '-' | '+'; line: string; a: number; b: number };
const SIGN = { same: ' ', removed: '-', added: '+' } as const;

/** Marks a last line without a newline, so it differs from the same line with one. */
const NO_EOL = '\u0000no-eol';

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

/** The edit script from `a` to `b`: common prefix and suffix, then an LCS of the middle. */
function editScript(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const ops: Op[] = [];
  for (let i = 0; i < pre; i++) ops.push({ op: ' ', line: a[i]!, a: i, b: i });
  // Line numbers of the middle, counted along the script: a removal advances `a`, an addition `b`.
  let i = pre;
  let j = pre;
  for (const part of lcsOps(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf))) {
    ops.push({ op: SIGN[part.op], line: part.text, a: i, b: j });
    if (part.op !== 'added') i++;
    if (part.op !== 'removed') j++;
  }
  for (let k = 0; k < suf; k++) {
    ops.push({ op: ' ', line: a[a.length - suf + k]!, a: a.length - suf + k, b: b.length - suf + k });
  }
  return ops;
}

function range(start: number, count: number): string {
  // diff -u numbers lines from 1; an empty range names the line before it.
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

/**
 * A unified diff (`diff -u` format) of two texts; '' when they are equal. `before` undefined is a new
 * file (`--- /dev/null`), `after` undefined a removed one.
 */
export function unifiedDiff(file: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return '';
  const ops = editScript(splitLines(before ?? ''), splitLines(after ?? ''));
  const out: string[] = [
    `--- ${before === undefined ? '/dev/null' : file}`,
    `+++ ${after === undefined ? '/dev/null' : file}`,
  ];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.op === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - CONTEXT);
    let end = k;
    // One hunk while the next change is within two contexts of this one.
    for (;;) {
      while (end < ops.length && ops[end]!.op !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.op === ' ') next++;
      if (next < ops.length && next - end <= 2 * CONTEXT) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + CONTEXT);
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.op !== '+').length;
    const bCount = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${range(hunk[0]!.a, aCount)} +${range(hunk[0]!.b, bCount)} @@`);
    for (const o of hunk) {
      if (o.line.endsWith(NO_EOL))
        out.push(o.op + o.line.slice(0, -NO_EOL.length), '\\ No newline at end of file');
      else out.push(o.op + o.line);
    }
    k = stop;
  }
  return out.join('\n') + '\n';
}
