import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { allowedOrigins, bearerToken } from '../../gateway/request-guards.ts';
import { CLIENT_TOKEN_PREFIX } from '../../store/client-tokens.ts';
import type { WebSessions } from './web-sessions.ts';

/** Who is calling `/api`. */
export type ApiCaller = { kind: 'admin' } | { kind: 'browser'; session: string };

/** A refused `/api` request: status and the message for the body. */
export interface ApiRefusal {
  status: number;
  error: string;
}

export interface ApiAccessOptions {
  /** SHA-256 of this run's admin token (the command line's credential). */
  adminTokenHash: Buffer;
  /** Browser sessions opened with the one-time login link; without it only the admin token works. */
  sessions?: WebSessions;
}

/** Methods that never change state; every other method needs an Origin check when a cookie signs it. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Decides who may call `/api` (after the gateway's Host and Origin guards):
 * - `Authorization: Bearer <admin token>`: the command line. An MCP client token is refused with 403
 *   (a client must never change policy or answer its own approvals), any other bearer with 401.
 * - the browser session cookie: the web UI. A state-changing request must also carry an Origin that
 *   is exactly the gateway's own; a missing Origin is refused too (cookies ride along on requests the
 *   page did not make: defence in depth beside SameSite=Strict and the JSON content type).
 * - nothing: 401.
 */
export function checkApiAccess(
  req: IncomingMessage,
  port: number,
  options: ApiAccessOptions,
): ApiCaller | ApiRefusal {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const token = bearerToken(authorization);
    if (!token) return { status: 401, error: 'the Authorization header must be "Bearer <admin token>"' };
    if (token.startsWith(CLIENT_TOKEN_PREFIX)) {
      return { status: 403, error: 'MCP client tokens cannot manage Gatehouse' };
    }
    const hash = crypto.createHash('sha256').update(token).digest();
    if (!crypto.timingSafeEqual(hash, options.adminTokenHash)) {
      return { status: 401, error: 'wrong admin token' };
    }
    return { kind: 'admin' };
  }
  const session = options.sessions?.fromRequest(req, port);
  if (!session) {
    return {
      status: 401,
      error: options.sessions
        ? 'not signed in: open the link printed by `gatehouse serve` (or run `gatehouse ui`)'
        : 'an admin token is required',
    };
  }
  if (!SAFE_METHODS.has(req.method ?? 'GET')) {
    const origin = req.headers.origin;
    if (origin === undefined) return { status: 403, error: 'a signed-in request needs an Origin header' };
    if (!allowedOrigins(port).has(origin))
      return { status: 403, error: 'this Origin may not call Gatehouse' };
  }
  return { kind: 'browser', session };
}

export function isRefusal(value: ApiCaller | ApiRefusal): value is ApiRefusal {
  return 'status' in value;
}
