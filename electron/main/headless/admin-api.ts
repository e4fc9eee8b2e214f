import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { servicesContract, type Channel, type ServicesHandlers } from '../../../shared/ipc/contract.ts';
import type { Logger } from '../base/logger.ts';
import { BodyTooLargeError, readBody, writeJson } from '../gateway/http-io.ts';
import type { RouteHandler } from '../gateway/gateway-server.ts';
import { checkApiAccess, isRefusal } from './web-ui/api-access.ts';
import type { WebSessions } from './web-ui/web-sessions.ts';
import { ServiceError } from '../services/service-error.ts';
import { describeZodError } from '../store/settings-store.ts';

const MAX_BODY = 1024 * 1024;

/**
 * `/api/<channel>`: the services contract over HTTP for the command line of a running headless
 * Gatehouse (answering approvals needs the process that holds them). Only the per-run admin token
 * written to the data folder (mode 0600) is accepted, or the browser UI's session cookie; MCP client
 * tokens are refused, so a client can never change policy or answer its own approvals
 * (performance-and-reliability.md §6.3 A10).
 */
export class AdminApi implements RouteHandler {
  readonly #services: ServicesHandlers;
  readonly #tokenHash: Buffer;
  readonly #logger: Logger;
  readonly #sessions: WebSessions | undefined;

  /** `sessions`: also accept the web UI's session cookie (see web-ui/api-access.ts). */
  constructor(options: {
    services: ServicesHandlers;
    token: string;
    logger: Logger;
    sessions?: WebSessions;
  }) {
    this.#services = options.services;
    this.#tokenHash = sha256(options.token);
    this.#logger = options.logger;
    this.#sessions = options.sessions;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const match = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
    if (!match && !url.pathname.startsWith('/api/')) return false;
    const caller = checkApiAccess(req, Number(url.port || 80), {
      adminTokenHash: this.#tokenHash,
      ...(this.#sessions ? { sessions: this.#sessions } : {}),
    });
    if (isRefusal(caller)) return reply(res, caller.status, { ok: false, error: caller.error });
    const channel = match?.[1];
    if (!channel || !Object.hasOwn(servicesContract, channel)) {
      return reply(res, 404, { ok: false, error: `no such channel "${channel ?? url.pathname}"` });
    }
    if (req.method !== 'POST') return reply(res, 405, { ok: false, error: 'use POST' });
    if ((req.headers['content-type'] ?? '').split(';')[0]!.trim() !== 'application/json') {
      return reply(res, 415, { ok: false, error: 'Content-Type must be application/json' });
    }
    let body: { input?: unknown };
    try {
      body = JSON.parse((await readBody(req, MAX_BODY)).toString('utf8')) as { input?: unknown };
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return reply(res, 413, { ok: false, error: 'request too large' });
      return reply(res, 400, { ok: false, error: 'the body must be JSON: {"input": ...}' });
    }
    return this.#call(res, channel as Channel, body?.input);
  }

  async #call(res: ServerResponse, channel: Channel, raw: unknown): Promise<true> {
    const input = servicesContract[channel].input.safeParse(raw);
    if (!input.success) return reply(res, 400, { ok: false, error: describeZodError(input.error) });
    try {
      const handler = this.#services[channel] as (input: unknown) => Promise<unknown>;
      const result = await handler.call(this.#services, input.data);
      return reply(res, 200, { ok: true, result });
    } catch (error) {
      if (error instanceof ServiceError) return reply(res, 400, { ok: false, error: error.message });
      if (error instanceof z.ZodError) return reply(res, 400, { ok: false, error: describeZodError(error) });
      this.#logger.error('admin API call failed', { channel, error: String(error) });
      return reply(res, 500, { ok: false, error: 'internal error' });
    }
  }
}

function reply(res: ServerResponse, status: number, body: object): true {
  writeJson(res, status, body);
  return true;
}

function sha256(text: string): Buffer {
  return crypto.createHash('sha256').update(text).digest();
}
