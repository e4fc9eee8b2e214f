import {
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from '../../base/json-rpc.ts';
import { parseBearerChallenge } from '../../oauth/www-authenticate.ts';
import { describeNetworkError, UpstreamError } from './upstream-error.ts';
import { classifyHttpError, delay, parseJsonResponse, readSseStream } from './streamable-http-responses.ts';
import { headerValue, mediaType, readBodyText, type ResponseBody } from './http-client.ts';
import {
  NOOP_SINK,
  type RequestSink,
  type UpstreamOptions,
  type UpstreamSession,
} from './upstream-session.ts';

const MAX_RESUMES = 10;
const DEFAULT_RETRY_MS = 1_000;

/**
 * The client side of MCP Streamable HTTP (2025-11-25 basic/transports) for one upstream session,
 * written on undici rather than the SDK transport: it knows which POST produced which SSE stream, so
 * request-scoped messages are routed to their own request (mcp-protocol-notes.md §6.5), it re-initializes
 * after a lost session (§6.2: the SDK does not), and it resumes dropped streams with Last-Event-ID.
 */
export class StreamableHttpUpstream implements UpstreamSession {
  readonly transport = 'streamable-http' as const;
  readonly #o: UpstreamOptions;
  readonly #origin: string;
  readonly #path: string;
  readonly #initRequest: JsonRpcRequest;
  readonly #inflight = new Set<AbortController>();
  #sessionId: string | undefined;
  #protocolVersion = '2025-03-26';
  #reinit: Promise<void> | undefined;
  #reinitCount = 0;
  #listener: ((message: JsonRpcMessage) => void) | undefined;
  #getAbort: AbortController | undefined;
  #closed = false;

  private constructor(options: UpstreamOptions, initRequest: JsonRpcRequest) {
    this.#o = options;
    this.#origin = options.url.origin;
    this.#path = options.url.pathname + options.url.search;
    this.#initRequest = initRequest;
  }

  /**
   * Opens the upstream session by relaying the client's `initialize`. Throws {@link UpstreamError};
   * an `http` failure with status 400/404/405 means "try the legacy HTTP+SSE transport".
   */
  static async connect(
    options: UpstreamOptions,
    initRequest: JsonRpcRequest,
  ): Promise<{ session: StreamableHttpUpstream; response: JsonRpcResponse }> {
    const session = new StreamableHttpUpstream(options, initRequest);
    const response = await session.#initialize(initRequest);
    return { session, response };
  }

  get #sseOptions(): { maxMessageBytes: number; onBadEvent(): void } {
    return {
      maxMessageBytes: this.#o.maxMessageBytes,
      onBadEvent: () =>
        this.#o.logger.warn('upstream sent an SSE event that is not JSON', { server: this.#o.serverName }),
    };
  }

  get protocolVersion(): string {
    return this.#protocolVersion;
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  async request(request: JsonRpcRequest, sink: RequestSink, signal?: AbortSignal): Promise<JsonRpcResponse> {
    const usedSession = this.#sessionId;
    try {
      return await this.#requestWithTimeout(request, sink, signal);
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.failure !== 'session-lost') throw error;
      // The upstream restarted and forgot us: a 404 proves the call was not executed, so re-initialize
      // and retry exactly once (performance-and-reliability.md §7.6; MCP transports §Session Management 4).
      this.#o.logger.info('upstream session lost; re-initializing', { server: this.#o.serverName });
      await this.#reinitialize(usedSession);
      return await this.#requestWithTimeout(request, sink, signal);
    }
  }

  async send(message: JsonRpcNotification | JsonRpcResponse): Promise<void> {
    try {
      await this.#post(message, NOOP_SINK);
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.failure !== 'session-lost') throw error;
      // A notification or response belonged to the lost session; a fresh session has no use for it.
      await this.#reinitialize(this.#sessionId);
    }
  }

  listen(onMessage: (message: JsonRpcMessage) => void): void {
    if (this.#listener || this.#closed) return;
    this.#listener = onMessage;
    void this.#listenLoop();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#getAbort?.abort();
    for (const controller of this.#inflight) controller.abort();
    if (!this.#sessionId) return;
    try {
      const res = await this.#o.agent.request({
        origin: this.#origin,
        path: this.#path,
        method: 'DELETE',
        headers: await this.#authedHeaders(),
        headersTimeout: 3_000,
        bodyTimeout: 3_000,
      });
      await res.body.dump();
    } catch (error) {
      this.#o.logger.debug('upstream DELETE failed', {
        server: this.#o.serverName,
        error: describeNetworkError(error),
      });
    }
  }

  async #initialize(initRequest: JsonRpcRequest): Promise<JsonRpcResponse> {
    this.#sessionId = undefined;
    const response = await this.#post(initRequest, NOOP_SINK, undefined, (headers) => {
      const id = headerValue(headers, 'mcp-session-id');
      if (id !== undefined && !/^[\x21-\x7e]{1,512}$/.test(id)) {
        throw new UpstreamError('protocol', 'the upstream sent an invalid Mcp-Session-Id');
      }
      this.#sessionId = id;
    });
    if (!response) throw new UpstreamError('protocol', 'the upstream did not answer initialize');
    if ('result' in response && typeof response.result.protocolVersion === 'string') {
      this.#protocolVersion = response.result.protocolVersion;
    }
    return response;
  }

  async #reinitialize(usedSession: string | undefined): Promise<void> {
    if (this.#closed) throw new UpstreamError('closed', 'the session was closed');
    if (this.#sessionId !== usedSession && !this.#reinit) return; // someone already did it
    this.#reinit ??= (async () => {
      this.#reinitCount += 1;
      const init = { ...this.#initRequest, id: `gatehouse-reinit-${this.#reinitCount}` };
      const response = await this.#initialize(init);
      if ('error' in response) {
        throw new UpstreamError('protocol', `re-initialize failed: ${response.error.message}`);
      }
      await this.#post({ jsonrpc: '2.0', method: 'notifications/initialized' }, NOOP_SINK);
      this.#getAbort?.abort(); // the listen loop reconnects with the new session
    })().finally(() => {
      this.#reinit = undefined;
    });
    return this.#reinit;
  }

  /** A request with an inactivity timeout that any message for it (e.g. progress) resets. */
  async #requestWithTimeout(
    request: JsonRpcRequest,
    sink: RequestSink,
    signal?: AbortSignal,
  ): Promise<JsonRpcResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#o.timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const watched: RequestSink = {
      onStream: () => sink.onStream(),
      onMessage: (m) => {
        timer.refresh();
        sink.onMessage(m);
      },
    };
    try {
      const response = await this.#post(request, watched, controller);
      if (!response)
        throw new UpstreamError('protocol', 'the upstream accepted a request without answering it');
      return response;
    } catch (error) {
      if (timedOut) {
        // Tell the upstream to stop working on it (MCP lifecycle §Timeouts: SHOULD send cancelled).
        void this.send({
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: request.id, reason: 'Gatehouse: request timed out' },
        }).catch(() => {});
        throw new UpstreamError('timeout', `no answer within ${Math.round(this.#o.timeoutMs / 1000)} s`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #headers(extra?: Record<string, string>, authorization?: string): Record<string, string> {
    const headers: Record<string, string> = { ...this.#o.headers(), ...extra };
    // The server's own OAuth token (never the client's): it replaces any configured Authorization.
    if (authorization !== undefined) {
      for (const name of Object.keys(headers))
        if (name.toLowerCase() === 'authorization') delete headers[name];
      headers.authorization = authorization;
    }
    if (this.#sessionId) headers['mcp-session-id'] = this.#sessionId;
    if (this.#sessionId || this.#reinit) headers['mcp-protocol-version'] = this.#protocolVersion;
    return headers;
  }

  /** The OAuth `Authorization` value for the next request, if the server has a login. */
  async #authorization(): Promise<string | undefined> {
    if (!this.#o.auth) return undefined;
    try {
      return await this.#o.auth.header();
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      throw new UpstreamError('unreachable', `the login could not be renewed: ${(error as Error).message}`);
    }
  }

  /** Headers for a GET or DELETE, with the current OAuth token. */
  async #authedHeaders(extra?: Record<string, string>): Promise<Record<string, string>> {
    return this.#headers(extra, await this.#authorization());
  }

  /**
   * POSTs one message. For a request, resolves with its response (from JSON or from the SSE stream,
   * resuming the stream if the upstream drops it); for anything else, resolves when accepted.
   */
  async #post(
    message: JsonRpcMessage,
    sink: RequestSink,
    controller = new AbortController(),
    onHeaders?: (headers: Record<string, string | string[] | undefined>) => void,
  ): Promise<JsonRpcResponse | undefined> {
    if (this.#closed) throw new UpstreamError('closed', 'the session was closed');
    this.#inflight.add(controller);
    const sentSession = this.#sessionId;
    const body = JSON.stringify(message);
    try {
      let res;
      let refreshed = false;
      for (let stepUps = 0; ;) {
        const authorization = await this.#authorization();
        try {
          res = await this.#o.agent.request({
            origin: this.#origin,
            path: this.#path,
            method: 'POST',
            headers: this.#headers(
              { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
              authorization,
            ),
            body,
            signal: controller.signal,
            headersTimeout: 0,
            bodyTimeout: 0,
          });
        } catch (error) {
          if (controller.signal.aborted) throw new UpstreamError('closed', 'the request was aborted');
          throw new UpstreamError('unreachable', describeNetworkError(error));
        }
        const auth = this.#o.auth;
        if (!auth || (res.statusCode !== 401 && res.statusCode !== 403)) break;
        const challenge = headerValue(res.headers, 'www-authenticate');
        // A 401 or 403 means the message was not processed, so sending it again is safe.
        if (res.statusCode === 401 && !refreshed) {
          await res.body.dump();
          refreshed = true;
          if (await auth.unauthorized(authorization, challenge)) continue;
          throw new UpstreamError('needs-login', 'the server requires a login', 401, challenge);
        }
        if (res.statusCode === 403 && isInsufficientScope(challenge)) {
          await res.body.dump();
          if (await auth.insufficientScope(challenge, stepUps++, controller.signal)) continue;
          if (controller.signal.aborted) throw new UpstreamError('closed', 'the request was aborted');
          throw new UpstreamError(
            'http',
            `the server needs permissions (scopes) that the login does not grant${scopeText(challenge)}; log in again from Gatehouse to grant them`,
            403,
            challenge,
          );
        }
        break;
      }
      const isRequest = 'method' in message && 'id' in message;
      if (res.statusCode >= 400) {
        throw await classifyHttpError(res.statusCode, res.headers, res.body, sentSession);
      }
      onHeaders?.(res.headers);
      if (!isRequest) {
        await res.body.dump();
        return undefined;
      }
      const type = mediaType(res.headers);
      if (type === 'application/json') {
        return parseJsonResponse(await readBodyText(res.body, this.#o.maxMessageBytes), message.id);
      }
      if (type === 'text/event-stream') {
        sink.onStream();
        return await this.#readUntilResponse(res.body, message.id, sink, controller.signal);
      }
      await res.body.dump();
      throw new UpstreamError(
        'protocol',
        `the upstream answered with unexpected content type "${type || 'none'}"`,
      );
    } finally {
      this.#inflight.delete(controller);
    }
  }

  /** Reads SSE until the response for `id` arrives, resuming with GET + Last-Event-ID when dropped (SEP-1699). */
  async #readUntilResponse(
    body: ResponseBody,
    id: JsonRpcRequest['id'],
    sink: RequestSink,
    signal: AbortSignal,
  ): Promise<JsonRpcResponse> {
    let outcome = await readSseStream(body, id, sink, this.#sseOptions);
    let lastEventId = outcome.lastEventId;
    let retry = outcome.retry ?? DEFAULT_RETRY_MS;
    for (let attempt = 0; !outcome.response; attempt++) {
      if (!lastEventId || attempt >= MAX_RESUMES) {
        throw new UpstreamError('unreachable', 'the upstream closed the stream before answering');
      }
      await delay(retry, signal);
      let res;
      try {
        res = await this.#o.agent.request({
          origin: this.#origin,
          path: this.#path,
          method: 'GET',
          headers: await this.#authedHeaders({ accept: 'text/event-stream', 'last-event-id': lastEventId }),
          signal,
          headersTimeout: 0,
          bodyTimeout: 0,
        });
      } catch {
        if (signal.aborted) throw new UpstreamError('closed', 'the request was aborted');
        continue; // connection trouble: try again after `retry`
      }
      if (res.statusCode >= 400 || mediaType(res.headers) !== 'text/event-stream') {
        const error = await classifyHttpError(res.statusCode, res.headers, res.body, this.#sessionId);
        if (error.failure === 'session-lost') throw error;
        continue;
      }
      outcome = await readSseStream(res.body, id, sink, this.#sseOptions);
      if (outcome.lastEventId) lastEventId = outcome.lastEventId;
      if (outcome.retry !== undefined) retry = outcome.retry;
    }
    return outcome.response;
  }

  async #listenLoop(): Promise<void> {
    let lastEventId: string | undefined;
    let retry = DEFAULT_RETRY_MS;
    let failures = 0;
    while (!this.#closed && this.#listener) {
      if (this.#reinit) await this.#reinit.catch(() => {});
      const controller = new AbortController();
      this.#getAbort = controller;
      const usedSession = this.#sessionId;
      try {
        const res = await this.#o.agent.request({
          origin: this.#origin,
          path: this.#path,
          method: 'GET',
          headers: await this.#authedHeaders({
            accept: 'text/event-stream',
            ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
          }),
          signal: controller.signal,
          headersTimeout: 0,
          bodyTimeout: 0,
        });
        if (res.statusCode === 405) {
          await res.body.dump();
          return; // no standalone stream on this server
        }
        if (res.statusCode >= 400 || mediaType(res.headers) !== 'text/event-stream') {
          const error = await classifyHttpError(res.statusCode, res.headers, res.body, usedSession);
          if (error.failure === 'session-lost') {
            lastEventId = undefined;
            await this.#reinitialize(usedSession).catch(() => {});
          }
          failures++;
        } else {
          const listener = this.#listener;
          const outcome = await readSseStream(
            res.body,
            undefined,
            { onStream() {}, onMessage: (m) => listener(m) },
            this.#sseOptions,
          );
          if (outcome.lastEventId) lastEventId = outcome.lastEventId;
          if (outcome.retry !== undefined) retry = outcome.retry;
          failures = 0;
        }
      } catch (error) {
        if (this.#closed) return;
        if (!controller.signal.aborted) failures++;
        else lastEventId = undefined; // aborted for re-initialize: a new session has new streams
        this.#o.logger.debug('upstream standalone stream interrupted', {
          server: this.#o.serverName,
          error: describeNetworkError(error),
        });
      }
      if (this.#closed) return;
      const backoff = Math.min(30_000, retry * 1.5 ** Math.min(failures, 10));
      await delay(backoff * (0.8 + Math.random() * 0.4)).catch(() => {});
    }
  }
}

/** Whether a 403's challenge is RFC 6750 `insufficient_scope` (a step-up can help). */
function isInsufficientScope(challenge: string | undefined): boolean {
  return parseBearerChallenge(challenge)?.error === 'insufficient_scope';
}

function scopeText(challenge: string | undefined): string {
  const scopes = parseBearerChallenge(challenge)?.scope;
  return scopes ? ` (${scopes.join(' ').slice(0, 200)})` : '';
}
