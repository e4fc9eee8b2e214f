/**
 * `GET /oauth/callback` on the gateway's own 127.0.0.1 listener: where the authorization server sends
 * the browser back. It accepts only the `state` of a pending login, once, and answers with a small
 * static page (strict CSP, nothing from the request echoed unescaped).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { RouteHandler } from '../gateway/gateway-server.ts';
import { listenOnLoopback } from '../gateway/http-io.ts';
import { checkHost } from '../gateway/request-guards.ts';
import { CALLBACK_PATH, type CallbackOutcome } from './login-manager.ts';

/** Anything that can finish a login from the callback's query parameters. */
export interface CallbackHandler {
  handleCallback(params: URLSearchParams): Promise<CallbackOutcome>;
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;line-height:1.5}';
const STYLE_HASH = crypto.createHash('sha256').update(STYLE).digest('base64');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // Only this page's own style runs; no script, no frames, no forms, nothing loaded.
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // One page per login: nothing to keep the connection for (lets `gatehouse login`'s listener close at once).
  connection: 'close',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The page the browser shows after the callback. */
export function callbackPage(outcome: CallbackOutcome): string {
  const title = outcome.ok ? 'Logged in' : 'Login failed';
  const lines = outcome.ok
    ? [`Gatehouse is now logged in to "${outcome.server}".`, 'You can close this tab.']
    : [outcome.message, 'You can close this tab and start the login again from Gatehouse.'];
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>Gatehouse: ${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    '</body></html>',
  ].join('\n');
}

/** Handles one callback request (method, then the login), writing the page. */
export async function serveCallback(
  handler: CallbackHandler,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  let outcome: CallbackOutcome;
  if (req.method !== 'GET') {
    res.writeHead(405, { ...PAGE_HEADERS, allow: 'GET' });
    res.end(callbackPage({ ok: false, status: 405, message: 'Only GET is accepted here.' }));
    return;
  }
  try {
    outcome = await handler.handleCallback(url.searchParams);
  } catch {
    outcome = { ok: false, status: 500, message: 'Gatehouse could not finish the login.' };
  }
  res.writeHead(outcome.ok ? 200 : outcome.status, PAGE_HEADERS);
  res.end(callbackPage(outcome));
}

/** The callback as a gateway route (see Gateway.addRoute). */
export class OAuthCallbackRoute implements RouteHandler {
  readonly #handler: CallbackHandler;

  constructor(handler: CallbackHandler) {
    this.#handler = handler;
  }

  /** The authorization server's redirect is a cross-site navigation by design; Host is still checked. */
  acceptsCrossSite(_req: http.IncomingMessage, url: URL): boolean {
    return url.pathname === CALLBACK_PATH;
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    if (url.pathname !== CALLBACK_PATH) return false;
    await serveCallback(this.#handler, req, res, url);
    return true;
  }
}

/**
 * A listener of its own for the callback, on 127.0.0.1 only, for `gatehouse login` while no Gatehouse
 * runs. It binds the configured gateway port, so the redirect URI is the same one the gateway uses.
 */
export async function listenForCallback(
  handler: CallbackHandler,
  port: number,
): Promise<{ port: number; redirectUri: string; close(): Promise<void> }> {
  let actual = port;
  const server = http.createServer((req, res) => {
    const host = checkHost(req.rawHeaders, actual);
    if (host) {
      res.writeHead(host.status, { 'content-type': 'text/plain; charset=utf-8' }).end(host.message);
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${actual}`);
    if (url.pathname !== CALLBACK_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    void serveCallback(handler, req, res, url);
  });
  try {
    actual = await listenOnLoopback(server, port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(`port ${port} on 127.0.0.1 is in use, so the login callback cannot be received there`, {
      cause: error,
    });
  }
  return {
    port: actual,
    redirectUri: `http://127.0.0.1:${actual}${CALLBACK_PATH}`,
    // Lets the page of a callback being answered finish, then closes.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}
