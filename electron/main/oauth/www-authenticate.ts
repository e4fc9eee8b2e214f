/**
 * Parsing of `WWW-Authenticate` Bearer challenges (RFC 9110 §11.6.1, RFC 6750 §3, RFC 9728 §5.1).
 *
 * The header comes from the remote MCP server, which is not trusted: the parser is total (it never
 * throws, runs in linear time and ignores what it cannot read) and it only extracts values. Whatever it
 * returns is still untrusted text: `resourceMetadata` must go through `checkDiscoveredUrl`
 * (url-safety.ts) before anything fetches it, and `scope` only feeds the scope-selection step.
 */

/** The Bearer challenge of a `WWW-Authenticate` header, with the parameters an MCP client uses. */
export interface BearerChallenge {
  scheme: 'Bearer';
  /** RFC 6750 §3.1 error code, e.g. `invalid_token` or `insufficient_scope`. */
  error?: string;
  /** RFC 6750 `error_description`: human-readable, untrusted text. */
  errorDescription?: string;
  /** RFC 6750 `scope`, split on spaces; absent when the parameter is absent or empty. */
  scope?: string[];
  /** RFC 9728 §5.1 `resource_metadata`: URL of the Protected Resource Metadata document (unchecked). */
  resourceMetadata?: string;
  realm?: string;
}

interface Challenge {
  scheme: string;
  params: Map<string, string>;
}

/** RFC 9110 §5.6.2 tchar. */
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/** RFC 9110 §11.2 token68 characters (before the trailing `=` padding). */
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

/** Space and tab (RFC 9110 OWS), plus CR/LF from obsolete line folding. */
function isWhitespace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\r' || char === '\n';
}

function readToken(header: string, start: number): number {
  let end = start;
  while (end < header.length && TCHAR.test(header.charAt(end))) end += 1;
  return end;
}

function skipWhitespace(header: string, start: number): number {
  let index = start;
  while (isWhitespace(header[index])) index += 1;
  return index;
}

/**
 * Reads a quoted-string starting at the opening quote. Returns the unescaped value and the index after
 * the closing quote, or undefined when the quote is never closed.
 */
/**
 * If a token68 (followed by optional whitespace and a comma or the end) starts at `start`, returns the
 * index after it; otherwise returns `start`.
 */
function skipToken68(header: string, start: number): number {
  let index = start;
  while (index < header.length && TOKEN68_CHAR.test(header.charAt(index))) index += 1;
  if (index === start) return start;
  while (header[index] === '=') index += 1;
  index = skipWhitespace(header, index);
  return index === header.length || header[index] === ',' ? index : start;
}

function readQuotedString(header: string, start: number): { value: string; end: number } | undefined {
  let value = '';
  let index = start + 1;
  while (index < header.length) {
    const char = header.charAt(index);
    if (char === '"') return { value, end: index + 1 };
    if (char === '\\' && index + 1 < header.length) {
      value += header.charAt(index + 1);
      index += 2;
    } else {
      value += char;
      index += 1;
    }
  }
  return undefined;
}

/**
 * Splits a header value into challenges. The grammar is ambiguous (commas separate both challenges and
 * parameters), so a token NOT followed by `=` starts a new challenge, as in RFC 9110 §11.6.1's example.
 */
function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let current: Challenge | undefined;
  let index = 0;
  while (index < header.length) {
    const char = header.charAt(index);
    if (char === ',' || isWhitespace(char)) {
      index += 1;
      continue;
    }
    const tokenEnd = readToken(header, index);
    if (tokenEnd === index) {
      // Garbage: skip to the next comma and resynchronize there.
      const comma = header.indexOf(',', index);
      index = comma === -1 ? header.length : comma + 1;
      continue;
    }
    const name = header.slice(index, tokenEnd);
    const afterName = skipWhitespace(header, tokenEnd);
    if (header[afterName] !== '=') {
      current = { scheme: name, params: new Map() };
      challenges.push(current);
      index = skipToken68(header, afterName);
      continue;
    }
    // name=value: an auth-param of the current challenge (or of none, if no scheme came first).
    const valueStart = skipWhitespace(header, afterName + 1);
    let value: string;
    if (header[valueStart] === '"') {
      const quoted = readQuotedString(header, valueStart);
      if (!quoted) break; // An unterminated quote swallows the rest: nothing after it is reliable.
      value = quoted.value;
      index = quoted.end;
    } else {
      // Lenient: servers send unquoted URLs (`resource_metadata=https://...`), which are not tokens.
      let end = valueStart;
      while (end < header.length && header[end] !== ',' && !isWhitespace(header[end])) end += 1;
      value = header.slice(valueStart, end);
      index = end;
    }
    const key = name.toLowerCase();
    // RFC 9110 §11.2: each parameter name occurs once per challenge; on a repeat the first one wins.
    if (current && !current.params.has(key)) current.params.set(key, value);
  }
  return challenges;
}

/**
 * Returns the first Bearer challenge in a `WWW-Authenticate` header value (several headers joined with
 * `, ` work too), or undefined when there is none. Scheme and parameter names are case-insensitive;
 * parameter values may be tokens or quoted-strings with backslash escapes. Never throws.
 *
 * Why: MCP authorization (2025-11-25 §Protected Resource Metadata Discovery, §Scope Challenge Handling)
 * makes this header the first input of the OAuth flow, and it is written by the remote server.
 */
export function parseBearerChallenge(header: string | undefined): BearerChallenge | undefined {
  if (typeof header !== 'string') return undefined;
  const bearer = parseChallenges(header).find((challenge) => challenge.scheme.toLowerCase() === 'bearer');
  if (!bearer) return undefined;
  const result: BearerChallenge = { scheme: 'Bearer' };
  const { params } = bearer;
  const error = params.get('error');
  if (error !== undefined) result.error = error;
  const errorDescription = params.get('error_description');
  if (errorDescription !== undefined) result.errorDescription = errorDescription;
  const scope = params.get('scope');
  const scopes = scope === undefined ? [] : [...new Set(scope.split(' ').filter((item) => item !== ''))];
  if (scopes.length > 0) result.scope = scopes;
  const resourceMetadata = params.get('resource_metadata');
  if (resourceMetadata !== undefined) result.resourceMetadata = resourceMetadata;
  const realm = params.get('realm');
  if (realm !== undefined) result.realm = realm;
  return result;
}
