import {
  severitySchema,
  type Finding,
  type PinKind,
  type Severity,
} from '../../../shared/schemas/changes.ts';
import { canonicalJson } from '../base/canonical-json.ts';
import { diffDefinitions, isHiddenAt, visibleText } from './diff.ts';

interface TextRule {
  code: string;
  severity: Severity;
  message: string;
  pattern: RegExp;
  /** `match`: the excerpt is the match itself (URLs, blobs); otherwise the match with nearby words. */
  excerpt?: 'match';
  accept?: (match: string) => boolean;
}

const MODEL = 'Text aimed at the model';
const OTHER_TOOL = 'Refers to other tools or servers';
/** Ordered: within a code, earlier rules win over later overlapping matches. */
const RULES: readonly TextRule[] = [
  ...[
    /\b(?:do\s+not|don['’]?t|never|must\s+not|should\s+not|shouldn['’]?t|without)\s+(?:ever\s+)?(?:tell(?:ing)?|mention(?:ing)?|inform(?:ing)?|notify(?:ing)?|alert(?:ing)?|reveal(?:ing)?|disclos(?:e|ing))\b/gi,
    /\b(?:do\s+not|don['’]?t|never|without)\s+(?:show|let)(?:ing)?\s+(?:the\s+)?user\b/gi,
    /\b(?:hide|conceal|keep)\b[^.\n]{0,40}?\bfrom\s+the\s+user\b/gi,
    /\bthe\s+user\s+(?:must|should|does|need|needs)\s*(?:not|n['’]?t)\s+(?:know|see|notice|be\s+told|find\s+out)\b/gi,
  ].map((pattern) => ({
    code: 'hide-from-user',
    severity: 'critical' as const,
    message: `${MODEL}: asks it to hide something from the user`,
    pattern,
  })),
  ...[
    /\b(?:ignore|forget|override|disobey)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|these\s+)?(?:previous|prior|above|earlier|preceding|former|system)\b(?:\s+(?:instructions?|rules|prompts?|messages?))?/gi,
    /\bignore\s+(?:all|any|your)\s+(?:instructions?|rules|guidelines)\b/gi,
    /\bdisregard\b/gi,
    /<\/?\s*(?:important|system|system[-_]?(?:prompt|reminder)|instructions?|admin)\b[^<>]{0,40}>/gi,
    /(?<![</])\bIMPORTANT\b/g,
    /\bsystem\s+prompt\b/gi,
    /\bas\s+an?\s+(?:AI|language\s+model|LLM)\b/gi,
    /\bbefore\s+(?:using|calling|invoking|running)\s+this\s+tool\b/gi,
    /\balways\s+(?:call|invoke)\b/gi,
  ].map((pattern) => ({
    code: 'model-directive',
    severity: 'high' as const,
    message: `${MODEL}: an instruction to the assistant`,
    pattern,
  })),
  {
    code: 'model-directive',
    severity: 'medium',
    message: `${MODEL}: tells the assistant what it must do`,
    pattern: /\b(?:you|the\s+(?:assistant|model|AI))\s+must\b/gi,
  },
  ...[
    /~\/\.ssh\b|(?<![\w.])\.ssh\/|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|\/etc\/(?:passwd|shadow|sudoers)\b/gi,
    /(?<![\w$.])\.env\b|\bmcp\.json\b|\bclaude_desktop_config\.json\b|(?<![\w.])\.cursor\b|\bcursor\s+(?:config|configuration|settings)\b/gi,
    /\.aws\/(?:credentials|config)\b|(?<![\w.])\.(?:netrc|npmrc|pypirc|pgpass|git-credentials|kube\/config|docker\/config\.json)\b/gi,
  ].map((pattern) => ({
    code: 'sensitive-file',
    severity: 'high' as const,
    message: 'Mentions a sensitive file (keys, credentials or client configuration)',
    pattern,
  })),
  {
    code: 'secret-mention',
    severity: 'high',
    message: 'Mentions secrets (keys, passwords, credentials)',
    pattern:
      /\bcredentials?\b|\bapi[\s_-]?keys?\b|\bpass(?:word|phrase)s?\b|\b(?:private|secret|ssh)[\s_-]?keys?\b|\bclient[\s_-]?secrets?\b|\b(?:access|auth|bearer|refresh|session|oauth|id)[\s_-]?tokens?\b|\bseed\s+phrase\b/gi,
  },
  {
    code: 'secret-mention',
    severity: 'medium',
    message: 'Mentions a token',
    pattern:
      /(?<!\b(?:page|pagination|next|continuation|cursor|sync|csrf|max|input|output)[\s_-]?)\btoken\b/gi,
  },
  ...[
    /\b(?:use|call|invoke|run|prefer)\s+(?:the\s+)?(?!(?:this|that|a|an|any|each|every|which|the|same|other)\b)[`'"]?[\w.-]+[`'"]?\s+tool\b/gi,
    /\bcall\s+(?!(?:it|this|that|them|these|those|me|us)\b)[`'"]?[\w.-]+[`'"]?\s+(?:first|before|after)\b/gi,
    /\binstead\s+of\s+(?:using|calling|invoking|the\s+[\w.-]+\s+tool\b|[`'"]?[a-z][a-z0-9]*_[\w-]+)/gi,
    /\b(?:any|all|every|the)\s+other\s+(?:mcp\s+)?(?:tools?|servers?)\b|\banother\s+(?:mcp\s+)?(?:tool|server)\b/gi,
  ].map((pattern) => ({ code: 'tool-reference', severity: 'medium' as const, message: OTHER_TOOL, pattern })),
  {
    code: 'url',
    severity: 'medium',
    message: 'Contains a URL',
    pattern: /\bhttps?:\/\/[^\s<>"'`]+/gi,
    excerpt: 'match',
  },
  ...[
    /\bdata:[\w.+-]+\/[\w.+-]+(?:;[\w.+-]+(?:=[\w.+-]+)?)*,[^\s"'<>]*/gi,
    /\b[0-9a-f]{64,}\b/gi,
    /[A-Za-z0-9+/_-]{64,}={0,2}/g,
  ].map((pattern) => ({
    code: 'encoded-blob',
    severity: 'medium' as const,
    message: 'Contains a long encoded blob (base64, hex or a data: URI)',
    pattern,
    excerpt: 'match' as const,
    accept: (m: string) =>
      m.startsWith('data:') || /^[0-9a-f]+$/i.test(m) || /(?=.*\d)(?=.*[A-Z])(?=.*[a-z])/.test(m),
  })),
];

const CONTEXT_CHARS = 30;
const MAX_HIDDEN_RUNS = 10;

function contextExcerpt(text: string, start: number, end: number): string {
  let from = Math.max(0, start - CONTEXT_CHARS);
  let to = Math.min(text.length, end + CONTEXT_CHARS);
  const lead = from > 0 ? text.slice(from, start).search(/\s/) : -1;
  if (lead >= 0) from += lead + 1;
  const trail = to < text.length ? text.slice(end, to).search(/\s\S*$/) : -1;
  if (trail >= 0) to = end + trail;
  const core = text.slice(from, to).replace(/\s+/g, ' ').trim();
  return `${from > 0 ? '…' : ''}${core}${to < text.length ? '…' : ''}`;
}

function matchExcerpt(code: string, match: string): string {
  if (code === 'url') return match.replace(/[.,;:!?)\]}]+$/, '');
  return match.length <= 48 ? match : `${match.slice(0, 32)}…${match.slice(-8)} (${match.length} chars)`;
}

function ruleFindings(text: string, path: string, suffix: string): Finding[] {
  const findings: Finding[] = [];
  const taken = new Map<string, [number, number][]>();
  for (const rule of RULES) {
    for (const m of text.matchAll(rule.pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (rule.accept && !rule.accept(m[0])) continue;
      const near = rule.excerpt === 'match' ? 0 : CONTEXT_CHARS; // nearby matches share one excerpt
      const ranges = taken.get(rule.code) ?? [];
      if (ranges.some(([s, e]) => start < e + near && end > s - near)) continue;
      taken.set(rule.code, [...ranges, [start, end]]);
      const excerpt =
        rule.excerpt === 'match' ? matchExcerpt(rule.code, m[0]) : contextExcerpt(text, start, end);
      findings.push({
        code: rule.code,
        severity: rule.severity,
        message: rule.message + suffix,
        path,
        excerpt,
      });
    }
  }
  return findings;
}

const isTag = (cp: number) => cp >= 0xe0000 && cp <= 0xe007f;

/** Findings for runs of hidden characters (see `isHiddenCodePoint`), shown as `<U+XXXX>` with nearby text. */
function hiddenFindings(text: string, path: string): Finding[] {
  const chars = Array.from(text);
  const runs: [number, number][] = [];
  for (let i = 0; i < chars.length; i++) {
    if (!isHiddenAt(chars, i)) continue;
    let j = i;
    while (j < chars.length && isHiddenAt(chars, j)) j++;
    runs.push([i, j]);
    i = j;
  }
  const around = (from: number, to: number) =>
    visibleText(chars.slice(from, to).join('').replace(/\s+/g, ' '));
  const findings = runs.slice(0, MAX_HIDDEN_RUNS).map(([i, j]): Finding => {
    const run = chars.slice(i, j);
    const cps = run.map((ch) => ch.codePointAt(0) ?? 0);
    const tags = String.fromCodePoint(
      ...cps.filter((cp) => isTag(cp) && cp >= 0xe0020).map((cp) => cp - 0xe0000),
    );
    const shown = visibleText(run.slice(0, 12).join('')) + (run.length > 12 ? `…(+${run.length - 12})` : '');
    return {
      code: 'hidden-unicode',
      severity: 'high',
      message: `Invisible, bidirectional or control characters (${run.length})${tags.trim() ? `; as tag characters they spell "${visibleText(tags)}"` : ''}`,
      path,
      excerpt: `${i > 12 ? '…' : ''}${around(Math.max(0, i - 12), i)}${shown}${around(j, j + 12)}${j + 12 < chars.length ? '…' : ''}`,
    };
  });
  if (runs.length > MAX_HIDDEN_RUNS) {
    const more = runs.length - MAX_HIDDEN_RUNS;
    findings.push({
      code: 'hidden-unicode',
      severity: 'high',
      message: `…and ${more} more runs of hidden characters`,
      path,
    });
  }
  return findings;
}

const bySeverity = (findings: Finding[]): Finding[] =>
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));

/**
 * The description scan, run on first sight and on every change: text aimed at the model (`model-directive`,
 * `hide-from-user`), sensitive files and secrets (`sensitive-file`, `secret-mention`), other tools or
 * servers (`tool-reference`), URLs (`url`), hidden characters (`hidden-unicode`) and long encoded
 * blobs (`encoded-blob`). Phrases are matched after removing hidden characters and NFKC folding, and
 * again in any text spelled with invisible tag characters. Findings are sorted by severity, most severe first.
 */
export function scanText(text: string, path: string): Finding[] {
  const chars = Array.from(text);
  const cleaned = chars
    .filter((_, i) => !isHiddenAt(chars, i))
    .join('')
    .normalize('NFKC');
  const tagged = chars
    .map((ch) => ch.codePointAt(0) ?? 0)
    .filter((cp) => isTag(cp) && cp >= 0xe0020 && cp < 0xe007f)
    .map((cp) => String.fromCodePoint(cp - 0xe0000))
    .join('');
  return bySeverity([
    ...hiddenFindings(text, path),
    ...ruleFindings(cleaned, path, ''),
    ...(tagged.trim() ? ruleFindings(tagged, path, ' (spelled in invisible tag characters)') : []),
  ]);
}

/** Strings under these keys are identifiers or technical values: only checked for hidden characters. */
const TECHNICAL_KEYS: ReadonlySet<string> = new Set([
  ...[
    '$schema',
    '$id',
    '$ref',
    '$anchor',
    '$dynamicRef',
    '$dynamicAnchor',
    'name',
    'required',
    'uriTemplate',
  ],
  ...['mimeType', 'pattern', 'format', 'contentMediaType', 'contentEncoding', 'type'],
]);

function scanValue(value: unknown, path: string, key: string, technical: boolean, out: Finding[]): void {
  if (typeof value === 'string') {
    out.push(...(technical || TECHNICAL_KEYS.has(key) ? hiddenFindings(value, path) : scanText(value, path)));
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => scanValue(item, `${path}/${i}`, key, technical, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, item] of Object.entries(value)) {
      const itemPath = `${path}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      out.push(...hiddenFindings(k, itemPath));
      scanValue(item, itemPath, k, technical || (path === '' && k === 'icons'), out);
    }
  }
}

/**
 * `scanText` over every string of a pinned definition (the first-sight scan). Identifiers and
 * technical values (names, `required`, `$schema`, `type`, `pattern`, `uriTemplate`, icons, object
 * keys…) are only checked for hidden characters.
 */
export function scanDefinition(definition: unknown): Finding[] {
  const out: Finding[] = [];
  scanValue(definition, '', '', false, out);
  return bySeverity(out);
}

type Rec = Record<string, unknown>;
const rec = (value: unknown): Rec =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Rec) : {};
const differs = (a: unknown, b: unknown) =>
  canonicalJson(a) !== canonicalJson(b) || (a === undefined) !== (b === undefined);
const esc = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
const strings = (value: unknown) =>
  new Set(Array.isArray(value) ? value.filter((v) => typeof v === 'string') : []);
const shown = (value: unknown) => (value === undefined ? 'unset' : canonicalJson(value));
const KIND_LABEL: Record<PinKind, string> = {
  tool: 'tool',
  prompt: 'prompt',
  'resource-template': 'resource template',
  instructions: 'server instructions',
};

/** A finding for a changed prose field at `path`, named after its last segment; `what` says whose. */
function proseFinding(path: string, what: string): Finding {
  const field = path.slice(path.lastIndexOf('/') + 1);
  if (field === 'title')
    return { code: 'title-changed', severity: 'info', message: `The title${what} changed`, path };
  if (field === 'instructions') {
    return {
      code: 'instructions-changed',
      severity: 'low',
      message: 'The server instructions changed',
      path,
    };
  }
  return { code: 'description-changed', severity: 'low', message: `The description${what} changed`, path };
}

function proseFields(b: Rec, a: Rec, fields: readonly string[], base: string, what: string): Finding[] {
  return fields.filter((f) => differs(b[f], a[f])).map((f) => proseFinding(`${base}/${f}`, what));
}

/** Parameter added/removed, required flips, nested description changes and other input schema changes. */
function schemaFindings(before: unknown, after: unknown, base: string): Finding[] {
  const [sb, sa] = [rec(before), rec(after)];
  const [pb, pa] = [rec(sb['properties']), rec(sa['properties'])];
  const [rb, ra] = [strings(sb['required']), strings(sa['required'])];
  const added = Object.keys(pa).filter((n) => !Object.hasOwn(pb, n));
  const removed = Object.keys(pb).filter((n) => !Object.hasOwn(pa, n));
  const out: Finding[] = [
    ...added.map((n): Finding => {
      const message = `Parameter "${n}" was added${ra.has(n) ? ' (required)' : ''}`;
      return { code: 'parameter-added', severity: 'medium', message, path: `${base}/properties/${esc(n)}` };
    }),
    ...removed.map((n): Finding => {
      const message = `Parameter "${n}" was removed${rb.has(n) ? ' (it was required)' : ''}`;
      return { code: 'parameter-removed', severity: 'medium', message, path: `${base}/properties/${esc(n)}` };
    }),
  ];
  const handled = new Set([...added, ...removed]);
  for (const n of [...new Set([...rb, ...ra])].sort()) {
    if (handled.has(n) || rb.has(n) === ra.has(n)) continue;
    const message = `Parameter "${n}" is ${ra.has(n) ? 'now' : 'no longer'} required`;
    out.push({ code: 'schema-changed', severity: 'low', message, path: `${base}/required` });
  }
  const covered = (path: string) =>
    path === '/required' ||
    [...handled].some((n) => path === `/properties/${esc(n)}` || path.startsWith(`/properties/${esc(n)}/`));
  const rest = diffDefinitions(sb, sa).filter(
    (e) => !covered(e.path) && !(e.path === '/properties' && e.type === 'value' && e.op !== 'changed'),
  );
  for (const e of rest.filter((e) => e.type === 'text')) {
    const param = /^\/properties\/([^/]+)\/[^/]+$/.exec(e.path)?.[1];
    out.push(
      proseFinding(base + e.path, param === undefined ? ` at ${base + e.path}` : ` of parameter "${param}"`),
    );
  }
  const paths = rest.filter((e) => e.type === 'value').map((e) => base + e.path);
  if (paths.length > 0) {
    const list = paths.slice(0, 5).join(', ') + (paths.length > 5 ? ` and ${paths.length - 5} more` : '');
    out.push({
      code: 'schema-changed',
      severity: 'low',
      message: `The input schema changed at ${list}`,
      path: base,
    });
  }
  return out;
}

/** `read-only-off`, `destructive-on` (an unset destructiveHint means true), and other annotation changes. */
function annotationFindings(before: unknown, after: unknown): Finding[] {
  const [b, a] = [rec(before), rec(after)];
  const out: Finding[] = [];
  const destructive = (ann: Rec) => ann['readOnlyHint'] !== true && ann['destructiveHint'] !== false;
  const readOnlyOff = b['readOnlyHint'] === true && a['readOnlyHint'] !== true;
  const destructiveOn = !destructive(b) && destructive(a);
  if (readOnlyOff) {
    const message = `The tool is no longer marked read-only (readOnlyHint: true -> ${shown(a['readOnlyHint'])})`;
    out.push({ code: 'read-only-off', severity: 'high', message, path: '/annotations/readOnlyHint' });
  }
  if (destructiveOn) {
    const message =
      a['destructiveHint'] === true
        ? 'The tool is now marked destructive (destructiveHint: true)'
        : 'The tool may now be destructive: it is not read-only and destructiveHint is unset, which means true';
    out.push({ code: 'destructive-on', severity: 'high', message, path: '/annotations/destructiveHint' });
  }
  const skip = new Set([
    'title',
    ...(readOnlyOff ? ['readOnlyHint'] : []),
    ...(destructiveOn ? ['destructiveHint'] : []),
  ]);
  const changed = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .sort()
    .filter((k) => !skip.has(k) && differs(b[k], a[k]))
    .map((k) => `${k}: ${shown(b[k])} -> ${shown(a[k])}`);
  if (changed.length > 0) {
    const message = `Annotations changed (${changed.join(', ')})`;
    out.push({ code: 'annotations-changed', severity: 'low', message, path: '/annotations' });
  }
  return out;
}

/** Named prompt arguments: added, removed, required flips, text changes. */
function argumentFindings(before: unknown, after: unknown): Finding[] {
  const byName = (list: unknown) =>
    new Map(
      (Array.isArray(list) ? list : []).map((arg, i) => [String(rec(arg)['name']), { arg: rec(arg), i }]),
    );
  const [b, a] = [byName(before), byName(after)];
  const out: Finding[] = [];
  for (const [name, { arg, i }] of a) {
    const old = b.get(name);
    const required = arg['required'] === true;
    if (!old) {
      const message = `Argument "${name}" was added${required ? ' (required)' : ''}`;
      out.push({ code: 'argument-added', severity: 'medium', message, path: `/arguments/${i}` });
      continue;
    }
    out.push(
      ...proseFields(old.arg, arg, ['title', 'description'], `/arguments/${i}`, ` of argument "${name}"`),
    );
    if ((old.arg['required'] === true) !== required) {
      const message = `Argument "${name}" is ${required ? 'now' : 'no longer'} required`;
      out.push({ code: 'argument-changed', severity: 'low', message, path: `/arguments/${i}/required` });
    }
  }
  for (const [name, { arg, i }] of b) {
    if (a.has(name)) continue;
    const message = `Argument "${name}" was removed${arg['required'] === true ? ' (it was required)' : ''}`;
    out.push({ code: 'argument-removed', severity: 'medium', message, path: `/arguments/${i}` });
  }
  return out;
}

/** Top-level fields each kind's specific checks cover; changes elsewhere give `other-changed`. */
const COVERED: Record<PinKind, readonly string[]> = {
  tool: ['title', 'description', 'inputSchema', 'annotations', 'outputSchema'],
  prompt: ['title', 'description', 'arguments'],
  'resource-template': ['title', 'description'],
  instructions: ['instructions'],
};

/**
 * What a change to a pinned item means, for review. `before` undefined: a new item, given its
 * first-sight scan (`scanDefinition`). `after` undefined: one `removed` finding (info). Otherwise
 * the structural findings of `kind` (tools: `description-changed`, `title-changed`, `parameter-added`,
 * `parameter-removed`, `schema-changed`, `read-only-off`, `destructive-on`, `annotations-changed`,
 * `output-schema-changed`; prompts: `argument-added`, `argument-removed`, `argument-changed`;
 * instructions: `instructions-changed`; any kind: `other-changed`) plus the scan findings that are new
 * in `after` (by code and excerpt). Sorted by severity, most severe first.
 */
export function classifyChange(kind: PinKind, before: unknown, after: unknown): Finding[] {
  if (after === undefined) {
    if (before === undefined) return [];
    return [
      { code: 'removed', severity: 'info', message: `The ${KIND_LABEL[kind]} was removed by the server` },
    ];
  }
  if (before === undefined) return scanDefinition(after);
  const [b, a] = [rec(before), rec(after)];
  const out = proseFields(b, a, ['title', 'description', 'instructions'], '', '');
  if (kind === 'tool') {
    const [ab, aa] = [rec(b['annotations']), rec(a['annotations'])];
    out.push(...proseFields(ab, aa, ['title'], '/annotations', ' annotation'));
    out.push(...schemaFindings(b['inputSchema'], a['inputSchema'], '/inputSchema'));
    out.push(...annotationFindings(b['annotations'], a['annotations']));
    if (diffDefinitions(b['outputSchema'], a['outputSchema']).length > 0) {
      const message = 'The output schema changed';
      out.push({ code: 'output-schema-changed', severity: 'medium', message, path: '/outputSchema' });
    }
  }
  if (kind === 'prompt') out.push(...argumentFindings(b['arguments'], a['arguments']));
  const other = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => !COVERED[kind].includes(k) && differs(b[k], a[k]))
    .sort();
  if (other.length > 0) {
    out.push({
      code: 'other-changed',
      severity: 'low',
      message: `Also changed: ${other.join(', ')}`,
      path: `/${other[0]}`,
    });
  }
  const key = (f: Finding) => `${f.code}\u0000${f.excerpt ?? ''}`;
  const known = new Set(scanDefinition(before).map(key));
  const added = scanDefinition(after).filter((f) => !known.has(key(f)));
  return bySeverity([...out, ...added.map((f) => ({ ...f, message: `${f.message} — new in this version` }))]);
}

/** Severities from least to most severe. */
export const SEVERITIES: readonly Severity[] = severitySchema.options;

/** Position of a severity in `SEVERITIES` (info 0 … critical 4). */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The most severe severity among the findings; `info` when there are none. */
export function maxSeverity(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>(
    (max, f) => (severityRank(f.severity) > severityRank(max) ? f.severity : max),
    'info',
  );
}

/** Whether the findings should raise the item's risk: any `high` or `critical` finding. */
export function riskFromFindings(findings: readonly Finding[]): boolean {
  return findings.some((f) => severityRank(f.severity) >= severityRank('high'));
}
