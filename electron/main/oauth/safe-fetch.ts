/**
 * The one HTTP client of the OAuth layer: every request to a URL that a remote server chose (PRM, AS
 * metadata, registration, token, revocation) goes through {@link createSafeFetch}. It checks the URL
 * with `checkDiscoveredUrl` before connecting, follows redirects by hand and checks every hop again,
 * and for a public MCP server refuses to connect to a host name that resolves to a private, loopback
 * or link-local address (DNS rebinding; mcp-protocol-notes.md §4.3).
 */
import dns from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import { isLoopbackHost } from '../services/server-url.ts';
import { checkDiscoveredUrl, reservedAddressRange, type DiscoveryContext } from './url-safety.ts';

/** What openid-client passes to its `customFetch`, and what our own discovery uses. */
export interface SafeFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | URLSearchParams | null;
  redirect?: 'manual' | 'follow' | 'error';
  signal?: AbortSignal | null;
}

export type SafeFetch = (url: string, init?: SafeFetchInit) => Promise<Response>;

/** A refused OAuth URL or a failed OAuth request, worded for the person. */
export class OAuthError extends Error {
  /** An OAuth `error` code from the authorization server, when it sent one. */
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.name = 'OAuthError';
    this.code = code;
  }
}

const MAX_REDIRECTS = 5;
const TIMEOUT_MS = 15_000;

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** dns.lookup that refuses answers in reserved ranges (checked on the resolved address, after DNS). */
function publicOnlyLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    for (const entry of addresses) {
      const range = reservedAddressRange(entry.address);
      if (range !== undefined) {
        const refused = new Error(`${hostname} resolves to ${entry.address}, which is not public (${range})`);
        return callback(Object.assign(refused, { code: 'EADDRNOTPUBLIC' }), []);
      }
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first)
      return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

let publicAgent: Agent | undefined;
let loopbackAgent: Agent | undefined;

function agentFor(context: DiscoveryContext): Agent {
  const server = URL.parse(context.serverUrl);
  if (server && isLoopbackHost(server.hostname))
    return (loopbackAgent ??= new Agent({ connect: { timeout: 10_000 } }));
  return (publicAgent ??= new Agent({ connect: { timeout: 10_000, lookup: publicOnlyLookup } }));
}

function describe(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string; code?: string } };
  return e?.cause?.message ?? e?.message ?? String(error);
}

/**
 * A fetch for OAuth requests about the MCP server in `context`: each URL (and each redirect target)
 * must pass `checkDiscoveredUrl`; redirects are followed only for GET/HEAD, at most five; every
 * request has a 15 s timeout. Refusals throw {@link OAuthError}.
 */
export function createSafeFetch(context: DiscoveryContext): SafeFetch {
  const dispatcher = agentFor(context);
  return async (url, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    let current = url;
    for (let hop = 0; ; hop += 1) {
      const checked = checkDiscoveredUrl(current, context);
      if (!checked.ok) throw new OAuthError(`refused to contact ${truncate(current)}: ${checked.reason}`);
      const signal = init.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(TIMEOUT_MS)])
        : AbortSignal.timeout(TIMEOUT_MS);
      let response: Response;
      try {
        // undici's Response is the WHATWG one that openid-client expects (it checks loosely).
        const raw: unknown = await undiciFetch(checked.url.href, {
          method,
          headers: init.headers,
          body: init.body ?? null,
          redirect: 'manual',
          signal,
          dispatcher,
        });
        response = raw as Response;
      } catch (error) {
        throw new OAuthError(`could not reach ${checked.url.origin}: ${describe(error)}`);
      }
      const location = response.headers.get('location');
      const redirected = response.status >= 300 && response.status < 400 && location !== null;
      if (!redirected || (method !== 'GET' && method !== 'HEAD') || init.redirect === 'manual') {
        return response;
      }
      await response.body?.cancel().catch(() => {});
      if (hop >= MAX_REDIRECTS) throw new OAuthError(`too many redirects from ${checked.url.origin}`);
      const next = URL.parse(location, checked.url.href);
      if (!next) throw new OAuthError(`${checked.url.origin} redirected to an invalid URL`);
      current = next.href;
    }
  };
}

/** Reads a JSON object body of at most `maxBytes`; undefined when it is not one. */
export async function readJsonObject(
  response: Response,
  maxBytes = 256 * 1024,
): Promise<Record<string, unknown> | undefined> {
  const text = await response.text().catch(() => '');
  if (text.length > maxBytes) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
