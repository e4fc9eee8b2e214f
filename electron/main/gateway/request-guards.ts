/**
 * Pure checks applied to every request before anything else (MCP transports §Security Warning;
 * performance-and-reliability.md §6.3 A). Each returns undefined when the request may proceed,
 * or the refusal to send.
 */
export interface Refusal {
  status: number;
  message: string;
}

/** Loopback names a local client may use for the gateway, with the exact port. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** Origins allowed to call the gateway from a browser: the gateway's own (the headless UI). */
export function allowedOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

/**
 * Host must be exactly a loopback name with our port: this is what defeats DNS rebinding
 * (CVE-2025-66414). Compared as sent (lower-case only; we decide not to fold case) and a request with
 * several Host headers is refused.
 */
export function checkHost(rawHeaders: string[], port: number): Refusal | undefined {
  const hosts: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'host') hosts.push(rawHeaders[i + 1] ?? '');
  }
  if (hosts.length !== 1) {
    return { status: 403, message: hosts.length === 0 ? 'Missing Host header' : 'More than one Host header' };
  }
  const host = hosts[0]!;
  // Clients omit the port from Host when it is the scheme's default (RFC 9110 §7.2).
  const bare = port === 80 && (host === '127.0.0.1' || host === 'localhost');
  if (!bare && !allowedHosts(port).has(host)) {
    return {
      status: 403,
      message: `Invalid Host header: ${truncate(host)} (use 127.0.0.1:${port} or localhost:${port})`,
    };
  }
  return undefined;
}

/**
 * A present Origin must be the gateway's own; a browser on any other page is refused (MCP 2025-11-25:
 * invalid Origin -> 403). `Sec-Fetch-Site: cross-site` is refused too, for browsers that omit Origin.
 */
export function checkOrigin(
  origin: string | undefined,
  secFetchSite: string | undefined,
  port: number,
): Refusal | undefined {
  if (secFetchSite !== undefined && secFetchSite.toLowerCase() === 'cross-site') {
    return { status: 403, message: 'Cross-site requests are not allowed' };
  }
  if (origin === undefined) return undefined;
  if (!allowedOrigins(port).has(origin))
    return { status: 403, message: `Invalid Origin header: ${truncate(origin)}` };
  return undefined;
}

/** Extracts a bearer token; query strings are never consulted (tokens in URLs leak into logs). */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]{1,512})\s*$/i.exec(authorization);
  return match?.[1];
}

/** The text a client sees when it has no valid token: it says how to get one. */
export function tokenHelp(reason: 'missing' | 'invalid'): string {
  const lead =
    reason === 'missing'
      ? 'Gatehouse needs a client token'
      : 'This client token is not valid (unknown or revoked)';
  return `${lead}. Create one with \`gatehouse client add <name>\` (or on the Clients page) and send it as "Authorization: Bearer <token>".`;
}

/** Protocol versions the gateway speaks downstream (SDK 1.32 SUPPORTED_PROTOCOL_VERSIONS). */
export const SUPPORTED_PROTOCOL_VERSIONS = [
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
  '2024-10-07',
];

/** `MCP-Protocol-Version` must be one we support when present (MCP transports §Protocol Version Header). */
export function checkProtocolVersion(header: string | undefined): Refusal | undefined {
  if (header === undefined || SUPPORTED_PROTOCOL_VERSIONS.includes(header)) return undefined;
  return {
    status: 400,
    message: `Bad Request: Unsupported protocol version: ${truncate(header)} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
  };
}

/** POST needs JSON in and both JSON and SSE accepted out; simple-request CSRF bodies fail here. */
export function checkPostHeaders(
  contentType: string | undefined,
  accept: string | undefined,
): Refusal | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    return { status: 415, message: 'Unsupported Media Type: Content-Type must be application/json' };
  }
  const acc = (accept ?? '').toLowerCase();
  if (
    !(acc.includes('application/json') || acc.includes('*/*')) ||
    !(acc.includes('text/event-stream') || acc.includes('*/*'))
  ) {
    return {
      status: 406,
      message: 'Not Acceptable: Client must accept both application/json and text/event-stream',
    };
  }
  return undefined;
}

function truncate(value: string): string {
  return value.length > 80 ? value.slice(0, 80) + '…' : value;
}
