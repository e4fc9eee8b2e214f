import type { DiffEntry } from '../../../shared/schemas/changes.ts';
import { canonicalJson } from '../base/canonical-json.ts';

/** One run of a word-level text diff. Joining the `same`+`removed` runs gives the old text, `same`+`added` the new. */
export type TextPart = Extract<DiffEntry, { type: 'text' }>['parts'][number];

/** Keys whose string values are prose the model reads: diffed word by word, at any depth. */
const PROSE_KEYS: ReadonlySet<string> = new Set(['description', 'title', 'instructions']);
/** Above this many LCS cells (after trimming the common prefix/suffix) the middle is shown as replaced whole. */
const MAX_LCS_CELLS = 4_000_000;
/** Unchanged runs longer than this are shortened in `renderDiff`. */
const MAX_SAME_CHARS = 160;
const SAME_CONTEXT = 60;

/**
 * Whether a code point is invisible, reorders text, or is a control character: C0/C1 controls other
 * than tab, newline and CR (ESC can rewrite a terminal), zero-width and joiner characters, bidi
 * embeddings/overrides/isolates, word joiner and invisible operators, BOM, soft hyphen, Hangul and
 * Mongolian fillers, tag characters (U+E0000–E007F) and supplementary variation selectors.
 */
export function isHiddenCodePoint(cp: number): boolean {
  return (
    (cp <= 0x1f && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) ||
    (cp >= 0x7f && cp <= 0x9f) ||
    [0xad, 0x34f, 0x61c, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180e, 0x3164, 0xfeff, 0xffa0].includes(cp) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

/** Whether the character at `index` of `chars` (code points) is hidden; a CR not followed by LF counts. */
export function isHiddenAt(chars: readonly string[], index: number): boolean {
  const cp = chars[index]?.codePointAt(0);
  if (cp === undefined) return false;
  return isHiddenCodePoint(cp) || (cp === 0x0d && chars[index + 1] !== '\n');
}

/** Text with every hidden character (see `isHiddenCodePoint`) written as `<U+XXXX>`. */
export function visibleText(text: string): string {
  const chars = Array.from(text);
  return chars
    .map((ch, i) =>
      isHiddenAt(chars, i)
        ? `<U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`
        : ch,
    )
    .join('');
}

function tokenize(text: string): string[] {
  return text.match(/\s+|\S+/g) ?? [];
}

/**
 * The edit script from `a` to `b` along a longest common subsequence: `same`, `removed` and `added`
 * items in order (a removal before an addition on ties). Above `MAX_LCS_CELLS` (n × m) everything is
 * shown removed, then added. Also used for line diffs (connections/line-diff.ts).
 */
export function lcsOps(a: readonly string[], b: readonly string[]): TextPart[] {
  const n = a.length;
  const m = b.length;
  const removed = a.map((text): TextPart => ({ op: 'removed', text }));
  const added = b.map((text): TextPart => ({ op: 'added', text }));
  if (n === 0 || m === 0 || n * m > MAX_LCS_CELLS) return [...removed, ...added];
  const w = m + 1;
  const table = new Uint32Array((n + 1) * w); // table[i*w+j]: LCS length of a[i..] and b[j..]
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * w + j] =
        a[i] === b[j]
          ? (table[(i + 1) * w + j + 1] ?? 0) + 1
          : Math.max(table[(i + 1) * w + j] ?? 0, table[i * w + j + 1] ?? 0);
    }
  }
  const ops: TextPart[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ op: 'same', text: a[i] ?? '' });
      i++;
      j++;
    } else if ((table[(i + 1) * w + j] ?? 0) >= (table[i * w + j + 1] ?? 0))
      ops.push(removed[i++] as TextPart);
    else ops.push(added[j++] as TextPart);
  }
  return [...ops, ...removed.slice(i), ...added.slice(j)];
}

/**
 * Word-level diff of two texts. Tokens are runs of whitespace and runs of non-whitespace, so the
 * parts rejoin to the exact texts. Lone spaces between two changes are folded into the change, and
 * each changed stretch is given as one `removed` part followed by one `added` part.
 */
export function diffWords(before: string, after: string): TextPart[] {
  const a = tokenize(before);
  const b = tokenize(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (text: string): TextPart => ({ op: 'same', text });
  const ops = [
    ...a.slice(0, start).map(same),
    ...lcsOps(a.slice(start, endA), b.slice(start, endB)),
    ...a.slice(endA).map(same),
  ];
  const parts: TextPart[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed) parts.push({ op: 'removed', text: removed });
    if (added) parts.push({ op: 'added', text: added });
    removed = added = '';
  };
  ops.forEach((part, k) => {
    const between = ops[k - 1] !== undefined && ops[k - 1]?.op !== 'same' && ops[k + 1]?.op !== 'same';
    if (part.op === 'same' && !(between && k + 1 < ops.length && /^\s+$/.test(part.text))) {
      flush();
      const last = parts.at(-1);
      if (last?.op === 'same') last.text += part.text;
      else parts.push({ ...part });
    } else {
      if (part.op !== 'added') removed += part.text;
      if (part.op !== 'removed') added += part.text;
    }
  });
  flush();
  return parts;
}

function pointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${t.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compareTokens(a: readonly string[], b: readonly string[]): number {
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const x = a[k] ?? '';
    const y = b[k] ?? '';
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

interface Found {
  tokens: string[];
  entry: DiffEntry;
}

function walk(before: unknown, after: unknown, tokens: string[], out: Found[]): void {
  if (canonicalJson(before) === canonicalJson(after) && (before === undefined) === (after === undefined))
    return;
  const path = pointer(tokens);
  const key = tokens.at(-1);
  const isText = (v: unknown): v is string | undefined => typeof v === 'string' || v === undefined;
  if (key !== undefined && PROSE_KEYS.has(key) && isText(before) && isText(after)) {
    const parts = diffWords(before ?? '', after ?? '');
    out.push({ tokens, entry: { type: 'text', path, parts } });
  } else if (before === undefined) {
    out.push({ tokens, entry: { type: 'value', path, op: 'added', after } });
  } else if (after === undefined) {
    out.push({ tokens, entry: { type: 'value', path, op: 'removed', before } });
  } else if (key === 'required' && Array.isArray(before) && Array.isArray(after)) {
    const asSet = (items: unknown[]) => new Set(items.map((item) => canonicalJson(item)));
    const [b, a] = [asSet(before), asSet(after)];
    if (b.size !== a.size || [...b].some((item) => !a.has(item))) {
      out.push({ tokens, entry: { type: 'value', path, op: 'changed', before, after } });
    }
  } else if (isRecord(before) && isRecord(after)) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
      walk(before[k], after[k], [...tokens, k], out);
    }
  } else if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const item = (list: unknown[]) => (i < list.length ? (list[i] ?? null) : undefined);
      walk(item(before), item(after), [...tokens, String(i)], out);
    }
  } else {
    out.push({ tokens, entry: { type: 'value', path, op: 'changed', before, after } });
  }
}

/**
 * The differences between two pinned definitions, sorted by path (array indexes numerically).
 * Prose strings (`description`, `title`, `instructions`, at any depth) give word-level `text`
 * entries; everything else gives `value` entries at JSON Pointer paths (`/inputSchema/properties/repo/type`).
 * Arrays are compared by index, except `required` arrays, which are compared as sets. Values are
 * compared as canonical JSON, so an empty result means the fingerprints are equal.
 */
export function diffDefinitions(before: unknown, after: unknown): DiffEntry[] {
  const out: Found[] = [];
  walk(before, after, [], out);
  return out.sort((x, y) => compareTokens(x.tokens, y.tokens)).map((found) => found.entry);
}

function shortenSame(text: string, first: boolean, last: boolean): string {
  if (text.length <= MAX_SAME_CHARS || (first && last)) return text;
  const head = first ? '' : text.slice(0, SAME_CONTEXT);
  const tail = last ? '' : text.slice(-SAME_CONTEXT);
  return `${head}…${tail}`;
}

function renderEntry(entry: DiffEntry): string {
  const label = entry.path === '' ? '(definition)' : entry.path.slice(1);
  if (entry.type === 'text') {
    const body = visibleText(
      entry.parts
        .map((part, k) => {
          if (part.op === 'removed') return `[-${part.text}-]`;
          if (part.op === 'added') return `[+${part.text}+]`;
          return shortenSame(part.text, k === 0, k === entry.parts.length - 1);
        })
        .join(''),
    );
    return body.includes('\n') ? `~ ${label}:\n${body.replace(/^/gm, '    ')}` : `~ ${label}: ${body}`;
  }
  const json = (value: unknown) => visibleText(canonicalJson(value));
  if (entry.op === 'added') return `+ ${label}: ${json(entry.after)}`;
  if (entry.op === 'removed') return `- ${label}: ${json(entry.before)}`;
  return `~ ${label}: ${json(entry.before)} -> ${json(entry.after)}`;
}

/**
 * Plain text for a terminal (no colours), one entry per line: `~ description: Reads a file[+ and
 * sends it to http://x+]` (`[-removed-]`, `[+added+]`; long unchanged stretches shortened with `…`;
 * multi-line texts indented below the path), `+ path: json`, `- path: json`, `~ path: old -> new`.
 * Invisible, bidi and control characters are written as `<U+XXXX>`, so nothing is hidden or
 * reordered on screen. Empty input gives `''`.
 */
export function renderDiff(entries: readonly DiffEntry[]): string {
  return entries.map(renderEntry).join('\n');
}
