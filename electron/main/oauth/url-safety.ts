/**
 * Checks on URLs that a remote MCP server or its authorization server hands to the gateway during OAuth
 * discovery (`resource_metadata`, `authorization_servers`, AS metadata endpoints) and on the
 * authorization URL that is opened in the person's browser.
 *
 * These are syntactic checks on the URL string only. A host NAME that resolves to a private or loopback
 * address (DNS rebinding, `*.nip.io`, `metadata.google.internal`) is not caught here: the resolved
 * addresses must be checked again at connect time with {@link reservedAddressRange}, and pinned.
 */
import net from 'node:net';
import { isLoopbackHost } from '../services/server-url.ts';

/** Longest URL accepted anywhere in the OAuth layer. */
export const MAX_URL_LENGTH = 4096;

/** The MCP server a URL was discovered from, and the person's named opt-in for plain http. */
export interface DiscoveryContext {
  serverUrl: string;
  /** Named opt-in (architecture.md convention 10): accept plain http for any discovered host. */
  allowInsecureHttp?: boolean;
}

export type DiscoveredUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };
export type OpenableUrlCheck = { ok: true; url: URL; href: string } | { ok: false; reason: string };

interface AddressRange {
  family: 'ipv4' | 'ipv6';
  network: string;
  prefix: number;
  label: string;
}

/** Special-purpose ranges (IANA IPv4/IPv6 Special-Purpose Address Registries) a public server may not use. */
const RESERVED_RANGES: readonly Readonly<AddressRange>[] = Object.freeze(
  (
    [
      ['ipv4', '0.0.0.0', 8, 'unspecified ("this network")'],
      ['ipv4', '10.0.0.0', 8, 'private (RFC 1918)'],
      ['ipv4', '100.64.0.0', 10, 'shared address space (CGNAT)'],
      ['ipv4', '127.0.0.0', 8, 'loopback'],
      ['ipv4', '169.254.0.0', 16, 'link-local (cloud metadata)'],
      ['ipv4', '172.16.0.0', 12, 'private (RFC 1918)'],
      ['ipv4', '192.0.0.0', 24, 'IETF protocol assignments'],
      ['ipv4', '192.0.2.0', 24, 'documentation'],
      ['ipv4', '192.168.0.0', 16, 'private (RFC 1918)'],
      ['ipv4', '198.18.0.0', 15, 'benchmarking'],
      ['ipv4', '198.51.100.0', 24, 'documentation'],
      ['ipv4', '203.0.113.0', 24, 'documentation'],
      ['ipv4', '224.0.0.0', 4, 'multicast'],
      ['ipv4', '240.0.0.0', 4, 'reserved or broadcast'],
      ['ipv6', '::', 128, 'unspecified'],
      ['ipv6', '::1', 128, 'loopback'],
      ['ipv6', '::', 96, 'IPv4-compatible (deprecated)'],
      ['ipv6', '::ffff:0:0', 96, 'IPv4-mapped'],
      ['ipv6', '64:ff9b::', 96, 'NAT64 (embeds an IPv4 address)'],
      ['ipv6', '64:ff9b:1::', 48, 'local NAT64 (embeds an IPv4 address)'],
      ['ipv6', '100::', 64, 'discard-only'],
      ['ipv6', '2001::', 32, 'Teredo (embeds an IPv4 address)'],
      ['ipv6', '2001:db8::', 32, 'documentation'],
      ['ipv6', '2002::', 16, '6to4 (embeds an IPv4 address)'],
      ['ipv6', 'fc00::', 7, 'unique local (ULA)'],
      ['ipv6', 'fe80::', 10, 'link-local'],
      ['ipv6', 'fec0::', 10, 'site-local (deprecated)'],
      ['ipv6', 'ff00::', 8, 'multicast'],
    ] as const
  ).map(([family, network, prefix, label]) => Object.freeze({ family, network, prefix, label })),
);

/**
 * Returns a label such as `"loopback"` when an IP address (no brackets) is in a range that a public
 * server has no business pointing the gateway at, or undefined for a public address or a non-IP.
 * IPv4 and IPv6 are matched only against their own family's ranges (node:net BlockList would otherwise
 * match every IPv4 address against `::ffff:0:0/96`). Use it again on DNS results at connect time.
 */
export function reservedAddressRange(address: string): string | undefined {
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : undefined;
  if (family === undefined) return undefined;
  for (const range of RESERVED_RANGES) {
    if (range.family !== family) continue;
    const list = new net.BlockList();
    list.addSubnet(range.network, range.prefix, range.family);
    if (list.check(address, family)) return range.label;
  }
  return undefined;
}

/** C0/C1 controls, format characters (bidi, zero-width) and whitespace, which URL parsing hides. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\s]/u;
/** Characters that a shell or an OS opener script could treat as syntax. */
const SHELL_METACHARACTER = /[`$;&|"'<>\\]/;

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** Checks shared by every URL: a string, not too long, nothing invisible, absolute, no userinfo or fragment. */
function checkBasics(raw: unknown): { ok: true; url: URL; raw: string } | { ok: false; reason: string } {
  if (typeof raw !== 'string' || raw === '') return refuse('not a URL');
  if (raw.length > MAX_URL_LENGTH) return refuse(`the URL is longer than ${MAX_URL_LENGTH} characters`);
  // WHATWG URL parsing silently drops tabs and newlines and trims controls and spaces, so what would be
  // used could differ from what the server sent; refuse instead of repairing.
  if (INVISIBLE.test(raw)) return refuse('the URL contains whitespace or control characters');
  const url = parseUrl(raw);
  if (!url) return refuse('not an absolute URL');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refuse(`the ${url.protocol} scheme is not allowed; only https (and http on loopback)`);
  }
  if (url.username !== '' || url.password !== '') return refuse('the URL must not contain credentials');
  if (raw.includes('#')) return refuse('the URL must not have a #fragment');
  return { ok: true, url, raw };
}

function isLocalhostName(hostname: string): boolean {
  let end = hostname.length;
  while (end > 0 && hostname.charAt(end - 1) === '.') end -= 1;
  const name = hostname.slice(0, end).toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * Checks a URL discovered during OAuth (PRM `resource_metadata`, `authorization_servers`, AS metadata
 * endpoints) before the gateway fetches or uses it:
 * - https only; plain http only when the MCP server and the URL are both on loopback (development,
 *   tests) or with the named opt-in `allowInsecureHttp`;
 * - no control characters or whitespace, no credentials, no fragment, at most {@link MAX_URL_LENGTH};
 * - for a non-loopback MCP server: no `localhost`/`*.localhost`, and no IP literal in a private,
 *   loopback, link-local, CGNAT, multicast, unspecified, reserved, ULA or IPv4-embedding range
 *   (obfuscated forms such as `127.1`, `2130706433`, `0x7f.0.0.1` are normalized by URL parsing first).
 *
 * Host names are NOT resolved: DNS answers must be checked at connect time (see the module comment).
 *
 * Why: MCP security best practices §SSRF — every one of these URLs is chosen by the remote server, and
 * fetching them from the person's machine would otherwise reach cloud metadata (169.254.169.254), the
 * LAN or the gateway's own loopback API. MCP authorization §Communication Security: AS endpoints MUST be
 * https (OAuth 2.1 §1.5).
 */
export function checkDiscoveredUrl(url: string, context: DiscoveryContext): DiscoveredUrlCheck {
  const basics = checkBasics(url);
  if (!basics.ok) return basics;
  const discovered = basics.url;
  const server = parseUrl(typeof context.serverUrl === 'string' ? context.serverUrl : '');
  if (!server || (server.protocol !== 'https:' && server.protocol !== 'http:')) {
    return refuse('the MCP server URL is not a valid http(s) URL');
  }
  const serverOnLoopback = isLoopbackHost(server.hostname);
  if (discovered.protocol === 'http:') {
    const bothOnLoopback = serverOnLoopback && isLoopbackHost(discovered.hostname);
    if (!bothOnLoopback && context.allowInsecureHttp !== true) {
      return refuse(`http://${discovered.host} is not encrypted; OAuth endpoints must use https`);
    }
  }
  if (!serverOnLoopback) {
    const host = discovered.hostname.replace(/^\[|\]$/g, '');
    if (isLocalhostName(host)) return refuse(`${discovered.host} is this machine, not the remote server`);
    const range = reservedAddressRange(host);
    if (range !== undefined) return refuse(`${discovered.host} is not a public address: ${range}`);
  }
  return { ok: true, url: discovered };
}

/** Decodes %XX escapes byte by byte until nothing changes (double encoding included). */
function decodeFully(text: string): string | undefined {
  let current = text;
  for (let round = 0; round < 8; round += 1) {
    const next = current.replace(/%([0-9a-fA-F]{2})/g, (_match, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    if (next === current) return current;
    current = next;
  }
  return undefined;
}

/** ASCII controls only: decoded UTF-8 continuation bytes (0x80–0xBF) are not C1 controls here. */
function hasAsciiControl(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Looks for opener hazards in a URL string. `&` is allowed only as the raw separator between query
 * parameters, because every authorization URL has one (`?response_type=code&client_id=…`); each part
 * is checked on its own, after percent-decoding, so `%26`, `%24(…)` or `%0a` inside a value is refused.
 */
function findOpenerHazard(text: string): string | undefined {
  const query = text.indexOf('?');
  const parts = query === -1 ? [text] : [text.slice(0, query), ...text.slice(query + 1).split('&')];
  for (const part of parts) {
    const decoded = decodeFully(part);
    if (decoded === undefined) return 'the URL is percent-encoded too many times';
    if (hasAsciiControl(decoded)) return 'the URL contains an encoded control character';
    const metacharacter = SHELL_METACHARACTER.exec(decoded);
    if (metacharacter) return `the URL contains ${JSON.stringify(metacharacter[0])}, a shell metacharacter`;
  }
  return undefined;
}

/**
 * Checks that a URL is safe to hand to an OS opener as one argv element: an absolute http(s) URL with
 * no credentials, fragment, control characters, whitespace or shell metacharacters (`` ` $ ; & | " ' <
 * > \ ``, also when percent-encoded, except `&` between query parameters), at most
 * {@link MAX_URL_LENGTH} long, whose normalized href is printable ASCII (IDNs become punycode).
 * Returns the normalized href, which is what must be opened. No loopback/SSRF rules: see
 * {@link checkAuthorizationEndpoint}.
 *
 * Why: CVE-2025-6514 (mcp-remote) — an `authorization_endpoint` chosen by a malicious server reached a
 * shell through the OS opener. MCP security best practices §OAuth authorization URL validation: only
 * http(s), never through a shell.
 */
export function checkOpenableUrl(url: string): OpenableUrlCheck {
  const basics = checkBasics(url);
  if (!basics.ok) return basics;
  const href = basics.url.href;
  if (href.length > MAX_URL_LENGTH) return refuse(`the URL is longer than ${MAX_URL_LENGTH} characters`);
  if (!/^[\x21-\x7e]+$/.test(href)) return refuse('the normalized URL is not printable ASCII');
  const hazard = findOpenerHazard(basics.raw) ?? findOpenerHazard(href);
  if (hazard !== undefined) return refuse(hazard);
  return { ok: true, url: basics.url, href };
}

/**
 * Checks an AS metadata `authorization_endpoint`: everything {@link checkOpenableUrl} checks (it will
 * be opened in the browser) plus everything {@link checkDiscoveredUrl} checks (https; a public server
 * may not send the browser to this machine or the LAN). Returns the normalized href to build the
 * authorization URL from.
 *
 * Why: MCP security best practices §OAuth authorization URL validation and CVE-2025-6514; a browser
 * opened on `http://127.0.0.1:<port>` or a LAN device is a request forgery against local services.
 */
export function checkAuthorizationEndpoint(url: string, context: DiscoveryContext): OpenableUrlCheck {
  const openable = checkOpenableUrl(url);
  if (!openable.ok) return openable;
  const discovered = checkDiscoveredUrl(url, context);
  if (!discovered.ok) return discovered;
  return openable;
}
