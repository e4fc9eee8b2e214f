// Redaction of tool-call arguments before they reach the audit log. The log is kept for months, is
// exported and shown in the UI, so credentials must never land in it: this module is the one place
// that makes arguments safe to keep. It errs on the side of redacting too much.

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/** The default size cap of the redacted arguments, in UTF-8 bytes of JSON. */
export const DEFAULT_MAX_ARG_BYTES = 16 * 1024;

/** A JSON value (what the redaction returns). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Keys whose values are secrets (substring, case-insensitive). `auth` but not `author`. */
const SECRET_KEY =
  /passw(or)?d|passphrase|secret|token|authorization|auth(?!or)|api[-_]?key|cookie|session|private[-_]?key|credential/i;

/** Keys that name token *counts* (LLM tools): their numbers are kept. */
const TOKEN_COUNT_KEY =
  /^(max|min|num|total|input|output|prompt|completion)[-_]?tokens$|^tokens?[-_]?(count|limit|budget)s?$/i;

/** Credential-looking text inside strings; each match is replaced. */
const CREDENTIAL_PATTERNS: readonly RegExp[] = [
  // PEM private keys, including an unterminated block.
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  // JWTs (header.payload.signature; the signature may be empty).
  /\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\b[spr]k_(live|test)_[A-Za-z0-9]{10,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}/g,
  // Gatehouse's own client (ghc_) and admin (gha_) tokens.
  /\bgh[ca]_[A-Za-z0-9_-]{20,}/g,
];

/** `Basic <base64(user:password)>`: only when the base64 really decodes to `something:something`. */
const BASIC_AUTH = /\bBasic\s+([A-Za-z0-9+/]{4,}={0,2})/gi;
/** `scheme://user:password@host`: the password part. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;
/** `?access_token=…`, `&api_key=…` in URLs and form bodies. */
const QUERY_SECRET =
  /([?&;](?:access_token|refresh_token|id_token|token|api[-_]?key|apikey|key|password|passwd|secret|client_secret|sig|signature|code)=)[^&#\s"']+/gi;
/** `password: x`, `"api_key": "x"`, `token=x` inside free text or embedded JSON. */
const KEY_VALUE_SECRET =
  /((?:passw(?:or)?d|passphrase|secret|token|api[-_]?key|apikey|access[-_]?key|private[-_]?key|client[-_]?secret)["']?\s*[:=]\s*["']?)(?!\[redacted\])[^\s"',;&}]+/gi;

function looksLikeBasicCredential(base64: string): boolean {
  const decoded = Buffer.from(base64, 'base64').toString('utf8');
  return /^[^:\s]{0,200}:\S/.test(decoded) && !decoded.includes('\uFFFD');
}

/** Replaces credential-looking parts of a string with {@link REDACTED}. Pure. */
export function redactString(text: string): string {
  let out = text;
  for (const pattern of CREDENTIAL_PATTERNS) out = out.replace(pattern, REDACTED);
  // The cheap substring checks skip patterns that cannot match (most arguments are plain text).
  if (/basic/i.test(out)) {
    out = out.replace(BASIC_AUTH, (match, b64: string) =>
      looksLikeBasicCredential(b64) ? `Basic ${REDACTED}` : match,
    );
  }
  if (out.includes('://')) out = out.replace(URL_PASSWORD, `$1${REDACTED}@`);
  if (out.includes('=')) out = out.replace(QUERY_SECRET, `$1${REDACTED}`);
  if (out.includes('=') || out.includes(':')) out = out.replace(KEY_VALUE_SECRET, `$1${REDACTED}`);
  return out;
}

/** Whether a key names a secret (its value is never kept). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

const MAX_DEPTH = 64;

/** A JSON copy with secrets removed; non-JSON values become what `JSON.stringify` would make of them. */
function redactValue(value: unknown, depth: number, seen: WeakSet<object>): JsonValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return redactString(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      break;
  }
  const object: object = value;
  if ('toJSON' in object && typeof object.toJSON === 'function') {
    return redactValue((object.toJSON as () => unknown)(), depth, seen);
  }
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(object)) return '[circular]';
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      return object.map((item) => redactValue(item, depth + 1, seen) ?? null);
    }
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(object as Record<string, unknown>)) {
      const safeKey = redactString(key);
      if (isSecretKey(key) && !(typeof item === 'number' && TOKEN_COUNT_KEY.test(key))) {
        // Booleans and null carry no secret; anything else under a secret key is dropped whole.
        out[safeKey] = item === null || typeof item === 'boolean' ? item : REDACTED;
        continue;
      }
      const redacted = redactValue(item, depth + 1, seen);
      if (redacted !== undefined) out[safeKey] = redacted;
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

function jsonBytes(value: JsonValue): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Cuts strings longer than `maxChars`, appending a marker that says how many bytes were dropped. */
function truncateStrings(value: JsonValue, maxChars: number): JsonValue {
  if (typeof value === 'string') {
    if (value.length <= maxChars) return value;
    let cut = maxChars;
    // Never split a surrogate pair.
    const code = value.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    const kept = value.slice(0, cut);
    const dropped = Buffer.byteLength(value, 'utf8') - Buffer.byteLength(kept, 'utf8');
    return `${kept}…[truncated ${dropped} bytes]`;
  }
  if (Array.isArray(value)) return value.map((item) => truncateStrings(item, maxChars));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) out[key] = truncateStrings(item, maxChars);
    return out;
  }
  return value;
}

/** What is kept of a value that is too big even with its strings cut: its shape and a short preview. */
function summarize(value: JsonValue, bytes: number, maxBytes: number): JsonValue {
  const json = JSON.stringify(value);
  const base: Record<string, JsonValue> = {
    _gatehouseTruncated: true,
    originalBytes: bytes,
    type: Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value,
  };
  if (Array.isArray(value)) base.length = value.length;
  const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  // The preview is cut from the already-redacted JSON, so it can hold no secret.
  for (
    let previewChars = Math.floor(maxBytes / 8);
    previewChars >= 16;
    previewChars = Math.floor(previewChars / 2)
  ) {
    const summary: Record<string, JsonValue> = { ...base, preview: truncateStrings(json, previewChars) };
    if (keys.length > 0) summary.keys = keys.slice(0, 20);
    if (jsonBytes(summary) <= maxBytes) return summary;
  }
  return base;
}

/**
 * A copy of tool-call arguments that is safe to keep in the audit log: values under secret-looking
 * keys and credential-looking text are replaced by `[redacted]`; when the JSON is larger than
 * `maxBytes`, long strings are cut (with a `…[truncated N bytes]` marker), and if that is still not
 * enough the whole value is replaced by a summary carrying `"_gatehouseTruncated": true`. Pure.
 */
export function redactArguments(value: unknown, maxBytes = DEFAULT_MAX_ARG_BYTES): JsonValue {
  const redacted = redactValue(value, 0, new WeakSet()) ?? null;
  const bytes = jsonBytes(redacted);
  if (bytes <= maxBytes) return redacted;
  for (let maxChars = Math.floor(maxBytes / 2); maxChars >= 32; maxChars = Math.floor(maxChars / 2)) {
    const truncated = truncateStrings(redacted, maxChars);
    if (jsonBytes(truncated) <= maxBytes) return truncated;
  }
  return summarize(redacted, bytes, maxBytes);
}
