import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { ServiceEvent } from '../../../../shared/ipc/events.ts';
import type { Event } from '../../base/emitter.ts';
import type { Logger } from '../../base/logger.ts';
import type { RouteHandler } from '../../gateway/gateway-server.ts';
import { BodyTooLargeError, readBody, writeJson } from '../../gateway/http-io.ts';
import { allowedOrigins } from '../../gateway/request-guards.ts';
import { checkApiAccess, isRefusal } from './api-access.ts';
import { EventStreams } from './event-stream.ts';
import {
  HOST_CSS,
  HOST_PREFIX,
  LOGIN_PAGE,
  LOGIN_SCRIPT,
  NOT_BUILT_PAGE,
  SIGN_IN_NEEDED_PAGE,
} from './host-pages.ts';
import { defaultRendererDir } from './renderer-build.ts';
import { pageSecurityHeaders } from './security-headers.ts';
import { resolveStaticFile } from './static-files.ts';
import { clearedSessionCookie, sessionCookie, type WebSessions } from './web-sessions.ts';

export interface WebUiOptions {
  /** The services' change events, relayed to browsers by `/api/events`. */
  events: Event<ServiceEvent>;
  sessions: WebSessions;
  /** This run's admin token: `/api/events` and new login links accept it. */
  adminToken: string;
  logger: Logger;
  /** The built renderer (electron-vite's out/renderer). */
  rendererDir?: string;
}

const HOST_FILES: Record<string, { body: string; type: string }> = {
  'login.js': { body: LOGIN_SCRIPT, type: 'text/javascript; charset=utf-8' },
  'host.css': { body: HOST_CSS, type: 'text/css; charset=utf-8' },
};

/**
 * The browser host of the UI, mounted on the gateway (so the Host and foreign-Origin guards apply):
 * `/app/` serves the built renderer to a signed-in browser, `/app/login` exchanges the one-time secret
 * printed by `gatehouse serve` for a session cookie, `/api/events` streams change events, and
 * `/api/ui.loginLink` gives the command line a fresh login link. `/api/<channel>` itself is AdminApi,
 * which accepts the same session cookie.
 */
export class WebUi implements RouteHandler {
  readonly #o: WebUiOptions;
  readonly #rendererDir: string;
  readonly #streams: EventStreams;
  readonly #logger: Logger;
  readonly #adminTokenHash: Buffer;

  constructor(options: WebUiOptions) {
    this.#o = options;
    this.#adminTokenHash = crypto.createHash('sha256').update(options.adminToken).digest();
    this.#rendererDir = options.rendererDir ?? defaultRendererDir();
    this.#streams = new EventStreams(options.events);
    this.#logger = options.logger;
  }

  /** True when the renderer has been built (index.html exists). */
  get built(): boolean {
    return fs.existsSync(path.join(this.#rendererDir, 'index.html'));
  }

  /** Event streams open now (browsers listening). */
  get openEventStreams(): number {
    return this.#streams.size;
  }

  /** A new one-time sign-in address for a gateway URL (`http://127.0.0.1:<port>`); older ones stop working. */
  newLoginUrl(gatewayUrl: string): string {
    return `${gatewayUrl}/app/login#secret=${this.#o.sessions.newLoginSecret()}`;
  }

  /** Ends the event streams (before the gateway closes). */
  close(): void {
    this.#streams.close();
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const p = url.pathname;
    const port = Number(url.port || 80);
    if (p === '/api/events') return this.#events(req, res, port);
    if (p === '/api/ui.loginLink') return this.#loginLink(req, res, port);
    if (p === '/app') return redirect(res, '/app/');
    if (!p.startsWith('/app/')) return false;
    if (p === '/app/login' && req.method === 'POST') return this.#login(req, res, port);
    if (p === '/app/logout') return this.#logout(req, res, port);
    if (!isRead(req)) return methodNotAllowed(res, p === '/app/login' ? 'GET, HEAD, POST' : 'GET, HEAD');
    if (p === '/app/login') return this.#page(req, res, LOGIN_PAGE);
    if (p.startsWith(HOST_PREFIX)) {
      const file = HOST_FILES[p.slice(HOST_PREFIX.length)];
      if (!file) return notFound(res);
      return send(req, res, 200, file.body, { 'content-type': file.type, 'cache-control': 'no-cache' });
    }
    if (p === '/app/' || p === '/app/index.html') return this.#index(req, res, port);
    const file = resolveStaticFile(this.#rendererDir, p.slice('/app/'.length));
    if (!file || file.file === path.join(fs.realpathSync(this.#rendererDir), 'index.html'))
      return notFound(res);
    res.writeHead(200, {
      ...pageSecurityHeaders(),
      'content-type': file.contentType,
      'content-length': file.size,
      'cache-control': file.immutable ? 'private, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    // A file removed mid-send (a rebuild of the UI) ends this response, never the process.
    else
      fs.createReadStream(file.file)
        .on('error', () => res.destroy())
        .pipe(res);
    return true;
  }

  /** The renderer for a signed-in browser; otherwise a page that says how to sign in. */
  #index(req: IncomingMessage, res: ServerResponse, port: number): true {
    let html: string;
    try {
      html = fs.readFileSync(path.join(this.#rendererDir, 'index.html'), 'utf8');
    } catch {
      return this.#page(req, res, NOT_BUILT_PAGE, 503);
    }
    if (!this.#o.sessions.fromRequest(req, port)) return this.#page(req, res, SIGN_IN_NEEDED_PAGE);
    return this.#page(req, res, html);
  }

  #page(req: IncomingMessage, res: ServerResponse, html: string, status = 200): true {
    return send(req, res, status, html, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
  }

  /** POST /app/login {"secret"}: a same-origin page only; the secret works once. */
  async #login(req: IncomingMessage, res: ServerResponse, port: number): Promise<true> {
    const origin = req.headers.origin;
    if (origin === undefined || !allowedOrigins(port).has(origin)) {
      return reply(res, 403, { ok: false, error: 'sign in from the page the link opens' });
    }
    const body = await readJson(req);
    if (typeof body === 'number')
      return reply(res, body, { ok: false, error: 'the body must be JSON: {"secret": ...}' });
    const secret = (body as { secret?: unknown } | null)?.secret;
    const session = typeof secret === 'string' ? this.#o.sessions.redeem(secret) : undefined;
    if (!session) {
      this.#logger.warn('refused a browser sign-in: the link was used already or is not valid');
      return reply(res, 403, {
        ok: false,
        error: 'This sign-in link was used already or is not valid. Run `gatehouse ui` for a new one.',
      });
    }
    this.#logger.info('browser signed in', { sessions: this.#o.sessions.size });
    return reply(res, 200, { ok: true }, { 'set-cookie': sessionCookie(port, session) });
  }

  /** POST /app/logout: ends the session and its event streams. */
  #logout(req: IncomingMessage, res: ServerResponse, port: number): true {
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    const caller = checkApiAccess(req, port, {
      adminTokenHash: this.#adminTokenHash,
      sessions: this.#o.sessions,
    });
    if (isRefusal(caller)) return reply(res, caller.status, { ok: false, error: caller.error });
    if (caller.kind === 'browser') {
      this.#o.sessions.end(caller.session);
      this.#streams.endSession(caller.session);
    }
    return reply(res, 200, { ok: true }, { 'set-cookie': clearedSessionCookie(port) });
  }

  #events(req: IncomingMessage, res: ServerResponse, port: number): true {
    const caller = checkApiAccess(req, port, {
      adminTokenHash: this.#adminTokenHash,
      sessions: this.#o.sessions,
    });
    if (isRefusal(caller)) return reply(res, caller.status, { ok: false, error: caller.error });
    if (req.method !== 'GET') return methodNotAllowed(res);
    if (!this.#streams.open(res, caller.kind === 'browser' ? caller.session : undefined)) {
      return reply(res, 503, { ok: false, error: 'too many event streams are open' });
    }
    return true;
  }

  /** POST /api/ui.loginLink: the command line (admin token only) asks for a fresh sign-in link. */
  #loginLink(req: IncomingMessage, res: ServerResponse, port: number): true {
    const caller = checkApiAccess(req, port, {
      adminTokenHash: this.#adminTokenHash,
      sessions: this.#o.sessions,
    });
    if (isRefusal(caller)) return reply(res, caller.status, { ok: false, error: caller.error });
    if (caller.kind !== 'admin')
      return reply(res, 403, { ok: false, error: 'only the command line may create sign-in links' });
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    this.#logger.info('new browser sign-in link issued');
    return reply(res, 200, { ok: true, result: { url: this.newLoginUrl(`http://127.0.0.1:${port}`) } });
  }
}

function isRead(req: IncomingMessage): boolean {
  return req.method === 'GET' || req.method === 'HEAD';
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if ((req.headers['content-type'] ?? '').split(';')[0]!.trim() !== 'application/json') return 415;
  try {
    return JSON.parse((await readBody(req, 4096)).toString('utf8')) as unknown;
  } catch (error) {
    return error instanceof BodyTooLargeError ? 413 : 400;
  }
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string>,
): true {
  res.writeHead(status, { ...pageSecurityHeaders(), ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

function reply(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): true {
  writeJson(res, status, body, {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  return true;
}

function redirect(res: ServerResponse, location: string): true {
  res.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': 0 });
  res.end();
  return true;
}

function notFound(res: ServerResponse): true {
  res.writeHead(404, { ...pageSecurityHeaders(), 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found');
  return true;
}

function methodNotAllowed(res: ServerResponse, allow = 'GET, HEAD'): true {
  res.writeHead(405, { ...pageSecurityHeaders(), allow, 'content-type': 'text/plain; charset=utf-8' });
  res.end('Method not allowed');
  return true;
}
