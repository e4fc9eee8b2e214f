/**
 * The canonical resource URI of an MCP server (RFC 8707 §2, MCP 2025-11-25 authorization
 * §Canonical Server URI) and the check of a Protected Resource Metadata `resource` against it
 * (RFC 9728 §3.3).
 */

function parse(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

function canonicalize(url: URL): string {
  // RFC 8707 §2: an absolute URI without a fragment; a resource identifier never carries credentials.
  url.hash = '';
  url.username = '';
  url.password = '';
  // MCP §Canonical Server URI: prefer the form without a trailing slash. The root path keeps its "/",
  // as in the SDK's resourceUrlFromServerUrl(), so both send the same `resource` for a bare origin.
  let end = url.pathname.length;
  while (end > 0 && url.pathname.charAt(end - 1) === '/') end -= 1;
  url.pathname = end === 0 ? '/' : url.pathname.slice(0, end);
  // The WHATWG serializer lower-cases the scheme and host, converts IDNs to punycode and drops the
  // default port; an empty fragment (`https://a.com/#`) would still leave a "#", so strip it as well.
  const href = url.href;
  return href.endsWith('#') ? href.slice(0, -1) : href;
}

/**
 * Returns the canonical URI of an MCP server for the RFC 8707 `resource` parameter: lower-case scheme
 * and host, no fragment, no credentials, no trailing slash on a non-root path; port (unless default),
 * path and query are kept. E.g. `HTTPS://MCP.Example.com:8443/MCP/?x=1#f` →
 * `https://mcp.example.com:8443/MCP?x=1`.
 *
 * Why: MCP 2025-11-25 §Resource Parameter Implementation requires the client to send this in both the
 * authorization and the token request, whether or not the authorization server supports it, so that
 * tokens are audience-bound to exactly one server (no token reuse across servers).
 *
 * @throws TypeError when `serverUrl` is not an absolute URL (server URLs are validated when added).
 */
export function canonicalResource(serverUrl: string): string {
  const url = parse(serverUrl);
  if (!url) throw new TypeError(`not an absolute URL: ${JSON.stringify(serverUrl.slice(0, 200))}`);
  return canonicalize(url);
}

/**
 * Whether a Protected Resource Metadata `resource` value may describe the MCP server at `serverUrl`.
 * Both are canonicalized first; then the PRM resource must either equal the server's canonical URI, or
 * have the same origin (scheme, host, port), no query, and a path that is a whole-segment prefix of the
 * server's path (`https://a.com` and `https://a.com/api` cover `https://a.com/api/mcp`, but
 * `https://a.com/ap` does not). Never throws; anything unparseable does not match.
 *
 * Why: RFC 9728 §3.3 says the `resource` in the metadata MUST be identical to the resource identifier
 * the metadata URL was built from, and data that fails this MUST NOT be used. The MCP client falls back
 * from the path-form well-known URI to the root form (MCP §Protected Resource Metadata Discovery), so
 * the identifier may be a path prefix of the server URL; this is the same rule as the SDK's
 * `checkResourceAllowed`, and it stops one origin's metadata from being accepted for another.
 */
export function resourceMatches(prmResource: string, serverUrl: string): boolean {
  if (typeof prmResource !== 'string' || typeof serverUrl !== 'string') return false;
  const resource = parse(prmResource);
  const server = parse(serverUrl);
  if (!resource || !server) return false;
  const canonicalPrm = new URL(canonicalize(resource));
  const canonicalServer = new URL(canonicalize(server));
  if (canonicalPrm.href === canonicalServer.href) return true;
  // `origin` is the string "null" for non-special schemes, which would make unrelated URLs equal.
  if (canonicalPrm.protocol !== 'https:' && canonicalPrm.protocol !== 'http:') return false;
  if (canonicalPrm.origin !== canonicalServer.origin) return false;
  if (canonicalPrm.search !== '') return false;
  const prefix = canonicalPrm.pathname === '/' ? '/' : `${canonicalPrm.pathname}/`;
  return canonicalServer.pathname === canonicalPrm.pathname || canonicalServer.pathname.startsWith(prefix);
}
