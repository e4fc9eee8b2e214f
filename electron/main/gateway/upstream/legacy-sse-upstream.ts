import {
  idKey,
  isNotification,
  isRequest,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from '../../base/json-rpc.ts';
import { SseParser } from '../sse.ts';
import { describeNetworkError, UpstreamError } from './upstream-error.ts';
import { excerpt, headerValue, mediaType, readBodyText } from './http-client.ts';
import type { RequestSink, UpstreamOptions, UpstreamSession } from './upstream-session.ts';

interface Pending {
  request: JsonRpcRequest;
  sink: RequestSink;
  resolve(response: JsonRpcResponse): void;
  reject(error: UpstreamError): void;
  timer: NodeJS.Timeout;
}

/**
 * The 2024-11-05 HTTP+SSE transport (deprecated, still served by older servers): one GET stream
 * carries every server message, POSTs go to the URI of its `endpoint` event. Responses are matched
 * by id; progress by its token; other request-scoped messages go to the one request in flight, if
 * there is exactly one (mcp-protocol-notes.md §6.5 option b), else to the standalone listener.
 */
export class LegacySseUpstream implements UpstreamSession {
  readonly transport = 'legacy-sse' as const;
  readonly #o: UpstreamOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #abort = new AbortController();
  readonly #early: JsonRpcMessage[] = [];
  #endpoint!: URL;
  #protocolVersion = '2024-11-05';
  #listener: ((message: JsonRpcMessage) => void) | undefined;
  #closed = false;

  private constructor(options: UpstreamOptions) {
    this.#o = options;
  }

  static async connect(
    options: UpstreamOptions,
    initRequest: JsonRpcRequest,
    connectTimeoutMs: number,
  ): Promise<{ session: LegacySseUpstream; response: JsonRpcResponse }> {
    const session = new LegacySseUpstream(options);
    await session.#open(connectTimeoutMs);
    try {
      const response = await session.request(initRequest, { onStream() {}, onMessage() {} });
      if ('result' in response && typeof response.result.protocolVersion === 'string') {
        session.#protocolVersion = response.result.protocolVersion;
      }
      return { session, response };
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  get protocolVersion(): string {
    return this.#protocolVersion;
  }

  request(request: JsonRpcRequest, sink: RequestSink, signal?: AbortSignal): Promise<JsonRpcResponse> {
    if (this.#closed)
      return Promise.reject(new UpstreamError('unreachable', 'the upstream SSE stream is closed'));
    const key = idKey(request.id);
    return new Promise<JsonRpcResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(key);
        void this.send({
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: request.id, reason: 'Gatehouse: request timed out' },
        }).catch(() => {});
        reject(new UpstreamError('timeout', `no answer within ${Math.round(this.#o.timeoutMs / 1000)} s`));
      }, this.#o.timeoutMs);
      const onAbort = () => {
        clearTimeout(timer);
        this.#pending.delete(key);
        reject(new UpstreamError('closed', 'the request was aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(key, {
        request,
        sink,
        timer,
        resolve: (r) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      sink.onStream();
      this.#postMessage(request).catch((error: UpstreamError) => {
        const pending = this.#pending.get(key);
        if (!pending) return;
        this.#pending.delete(key);
        clearTimeout(pending.timer);
        pending.reject(error);
      });
    });
  }

  async send(message: JsonRpcNotification | JsonRpcResponse): Promise<void> {
    await this.#postMessage(message);
  }

  listen(onMessage: (message: JsonRpcMessage) => void): void {
    if (this.#listener) return;
    this.#listener = onMessage;
    for (const message of this.#early.splice(0)) onMessage(message);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    this.#failAll(new UpstreamError('closed', 'the session was closed'));
  }

  async #open(connectTimeoutMs: number): Promise<void> {
    const url = this.#o.url;
    let res;
    for (let attempt = 0; ; attempt++) {
      const headers = await this.#headers({ accept: 'text/event-stream' });
      try {
        res = await this.#o.agent.request({
          origin: url.origin,
          path: url.pathname + url.search,
          method: 'GET',
          headers,
          signal: this.#abort.signal,
          headersTimeout: connectTimeoutMs,
          bodyTimeout: 0,
        });
      } catch (error) {
        throw new UpstreamError('unreachable', describeNetworkError(error));
      }
      if (res.statusCode !== 401) break;
      await res.body.dump();
      const text = headerValue(res.headers, 'www-authenticate');
      // The login was refreshed (or replaced): open the stream again, once.
      const retry = await this.#o.auth?.unauthorized(headers.authorization, text).catch(() => false);
      if (retry !== true || attempt > 0) {
        throw new UpstreamError('needs-login', 'the server requires a login', 401, text);
      }
    }
    if (res.statusCode !== 200 || mediaType(res.headers) !== 'text/event-stream') {
      const text = await readBodyText(res.body, 64 * 1024).catch(() => '');
      throw new UpstreamError(
        'http',
        `not an MCP server: HTTP ${res.statusCode} to both Streamable HTTP and HTTP+SSE${text ? ` (${excerpt(text, 120)})` : ''}`,
        res.statusCode,
      );
    }
    const body = res.body;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        body.destroy();
        reject(new UpstreamError('protocol', 'the SSE stream sent no endpoint event'));
      }, connectTimeoutMs);
      let ready = false;
      const parser = new SseParser((event) => {
        if (event.event === 'endpoint' && !ready) {
          let endpoint: URL;
          try {
            endpoint = new URL(event.data, url);
          } catch {
            return;
          }
          // Secret headers go to the endpoint: never let a server point them at another origin.
          if (endpoint.origin !== url.origin) {
            clearTimeout(timer);
            body.destroy();
            reject(
              new UpstreamError(
                'protocol',
                `the SSE endpoint event points to another origin (${endpoint.origin})`,
              ),
            );
            return;
          }
          this.#endpoint = endpoint;
          ready = true;
          clearTimeout(timer);
          resolve();
          return;
        }
        if (event.event === 'message' && event.data) this.#dispatch(event.data);
      }, this.#o.maxMessageBytes);
      body.on('data', (chunk: Buffer) => {
        try {
          parser.push(chunk);
        } catch (error) {
          body.destroy(error as Error);
        }
      });
      const onGone = () => {
        clearTimeout(timer);
        if (!ready) reject(new UpstreamError('unreachable', 'the SSE stream closed before it was ready'));
        this.#closed = true;
        this.#failAll(new UpstreamError('unreachable', 'the upstream SSE stream closed'));
      };
      body.on('end', onGone);
      body.on('error', onGone);
    });
  }

  #dispatch(data: string): void {
    let message: JsonRpcMessage;
    try {
      message = JSON.parse(data) as JsonRpcMessage;
    } catch {
      return;
    }
    if (isResponse(message)) {
      if (message.id === null) return;
      const pending = this.#pending.get(idKey(message.id));
      if (!pending) return;
      this.#pending.delete(idKey(message.id));
      clearTimeout(pending.timer);
      pending.resolve(message);
      return;
    }
    const owner = this.#ownerOf(message);
    if (owner) {
      owner.timer.refresh();
      owner.sink.onMessage(message);
    } else if (this.#listener) {
      this.#listener(message);
    } else if (this.#early.length < 100) {
      this.#early.push(message);
    }
  }

  #ownerOf(message: JsonRpcMessage): Pending | undefined {
    if (isNotification(message) && message.method === 'notifications/progress') {
      const token = message.params?.progressToken;
      for (const pending of this.#pending.values()) {
        const meta = pending.request.params?._meta as { progressToken?: unknown } | undefined;
        if (meta?.progressToken !== undefined && meta.progressToken === token) return pending;
      }
      return undefined;
    }
    if ((isNotification(message) && message.method === 'notifications/message') || isRequest(message)) {
      if (this.#pending.size === 1) return this.#pending.values().next().value;
    }
    return undefined;
  }

  async #postMessage(message: JsonRpcMessage): Promise<void> {
    if (this.#closed) throw new UpstreamError('unreachable', 'the upstream SSE stream is closed');
    const headers = await this.#headers({ 'content-type': 'application/json' });
    let res;
    try {
      res = await this.#o.agent.request({
        origin: this.#endpoint.origin,
        path: this.#endpoint.pathname + this.#endpoint.search,
        method: 'POST',
        headers,
        body: JSON.stringify(message),
        signal: this.#abort.signal,
        headersTimeout: this.#o.timeoutMs,
      });
    } catch (error) {
      throw new UpstreamError('unreachable', describeNetworkError(error));
    }
    const text = await readBodyText(res.body, 64 * 1024).catch(() => '');
    if (res.statusCode >= 400) {
      throw new UpstreamError(
        'http',
        `HTTP ${res.statusCode}${text ? `: ${excerpt(text)}` : ''}`,
        res.statusCode,
      );
    }
  }

  /** Configured headers plus the server's own OAuth token, if it has a login. */
  async #headers(extra: Record<string, string>): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...this.#o.headers(), ...extra };
    let authorization: string | undefined;
    try {
      authorization = await this.#o.auth?.header();
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      throw new UpstreamError('unreachable', `the login could not be renewed: ${(error as Error).message}`);
    }
    if (authorization !== undefined) {
      for (const name of Object.keys(headers))
        if (name.toLowerCase() === 'authorization') delete headers[name];
      headers.authorization = authorization;
    }
    return headers;
  }

  #failAll(error: UpstreamError): void {
    for (const [key, pending] of this.#pending) {
      this.#pending.delete(key);
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }
}
