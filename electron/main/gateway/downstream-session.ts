import crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  ErrorCode,
  errorResponse,
  idKey,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from '../base/json-rpc.ts';
import type { Logger } from '../base/logger.ts';
import { writeJson } from './http-io.ts';
import { SseStream } from './sse-stream.ts';
import { UpstreamError } from './upstream/upstream-error.ts';
import type { RequestSink, UpstreamSession } from './upstream/upstream-session.ts';
import type { Governor } from '../policy/governor.ts';

export interface SessionInfo {
  clientName: string;
  clientInfo: { name: string; version?: string };
  serverName: string;
  protocolVersion: string;
  /**
   * The client capabilities that change what a server offers (sampling, elicitation, roots, tasks):
   * servers register some tools only for clients that declared them, so pins are kept per profile.
   */
  profile: string;
}

/** Where a session reports what the rest of the gateway needs to know. */
export interface SessionHost {
  logger: Logger;
  streamAttachChanged(stream: SseStream, attached: boolean): void;
  sessionClosed(session: DownstreamSession, reason: string): void;
  /** Policy, approvals and audit; absent, the session relays without governance (tests of the relay). */
  governor?: Governor;
}

/**
 * One downstream MCP session: a client token, a server, and the upstream session it owns. It relays
 * at the message level — every method and field passes unchanged — and routes each upstream message to
 * the stream of the request it belongs to.
 */
export class DownstreamSession {
  /** 128+ bits from a CSPRNG, visible ASCII (MCP transports §Session Management). */
  readonly id = crypto.randomBytes(24).toString('base64url');
  readonly startedAt = new Date();
  lastActivity = Date.now();
  requests = 0;
  /** Tools the person allowed "for this session" in an approval. */
  readonly sessionAllowed = new Set<string>();
  /** Names of the tools this client was last shown, and which of them policy hid (for list_changed). */
  listed: { names: string[]; hidden: string } | undefined;
  readonly #inflight = new Map<string, AbortController>();
  readonly #streams = new Map<string, SseStream>();
  #standalone: SseStream | undefined;
  #closed = false;

  readonly info: SessionInfo;
  readonly upstream: UpstreamSession;
  private readonly host: SessionHost;

  constructor(info: SessionInfo, upstream: UpstreamSession, host: SessionHost) {
    this.info = info;
    this.upstream = upstream;
    this.host = host;
  }

  get inFlight(): number {
    return this.#inflight.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a client is connected to any of this session's streams. */
  get hasAttachedStream(): boolean {
    for (const stream of this.#streams.values()) if (stream.attached) return true;
    return false;
  }

  /** Streams carry a priming event for clients on 2025-11-25 or later (older ones cannot parse empty data). */
  get #priming(): boolean {
    return this.info.protocolVersion >= '2025-11-25';
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /** Relays one request; the response goes back as JSON, or on an SSE stream when upstream streams. */
  async handleRequest(request: JsonRpcRequest, res: ServerResponse): Promise<void> {
    this.requests++;
    const key = idKey(request.id);
    const abort = new AbortController();
    this.#inflight.set(key, abort);
    let stream: SseStream | undefined;
    const openStream = () => {
      if (stream) return stream;
      stream = this.#newStream(false);
      if (!res.writableEnded && !res.destroyed) stream.attach(res, undefined, this.#priming);
      return stream;
    };
    const sink: RequestSink = { onStream: openStream, onMessage: (m) => openStream().send(m) };
    let response: JsonRpcResponse | undefined;
    try {
      response = await this.#relay(request, sink, abort);
    } finally {
      this.#inflight.delete(key);
      this.touch();
    }
    const streamed = stream;
    if (streamed) {
      if (response) streamed.send(response);
      streamed.end();
      if (streamed.disposable) this.#streams.delete(streamed.id);
    } else if (!res.writableEnded && !res.destroyed) {
      if (response) writeJson(res, 200, response);
      else {
        res.writeHead(202).end();
      }
    }
  }

  /** Passes governed methods through the host's governor; everything else goes straight upstream. */
  async #relay(
    request: JsonRpcRequest,
    sink: RequestSink,
    abort: AbortController,
  ): Promise<JsonRpcResponse | undefined> {
    const forward = () => this.#forward(request, sink, abort);
    const governor = this.host.governor;
    if (!governor) return forward();
    if (request.method === 'tools/call') {
      const channel = {
        signal: abort.signal,
        sendProgress: (params: Record<string, unknown>) =>
          sink.onMessage({ jsonrpc: '2.0', method: 'notifications/progress', params }),
      };
      return governor.governCall(this, request, channel, forward);
    }
    const response = await forward();
    if (request.method === 'tools/list' && response) return governor.filterToolsList(this, request, response);
    if (response && (request.method === 'prompts/list' || request.method === 'resources/templates/list')) {
      governor.observeList(this, request, response);
    }
    return response;
  }

  async #forward(
    request: JsonRpcRequest,
    sink: RequestSink,
    abort: AbortController,
  ): Promise<JsonRpcResponse | undefined> {
    try {
      return await this.upstream.request(request, sink, abort.signal);
    } catch (error) {
      return this.#failureResponse(request, error, abort.signal.aborted);
    }
  }

  /** Tells the client its tool list changed (policy changed what it may see), on the standalone stream. */
  notifyToolsChanged(): void {
    if (this.#closed) return;
    this.#standalone ??= this.#openStandalone();
    this.#standalone.send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
  }

  /** Relays a client notification or a response to a server-to-client request. */
  async handleNotificationOrResponse(message: JsonRpcNotification | JsonRpcResponse): Promise<void> {
    if ('method' in message && message.method === 'notifications/cancelled') {
      // The client gave up on a request: stop waiting for it here too; no response is expected.
      const requestId = message.params?.requestId;
      if (typeof requestId === 'string' || typeof requestId === 'number') {
        const inflight = this.#inflight.get(idKey(requestId));
        setImmediate(() => inflight?.abort());
      }
    }
    await this.upstream.send(message);
  }

  /** Attaches a GET: resumes the stream named by Last-Event-ID, or (re)opens the standalone stream. */
  openStream(res: ServerResponse, resume: { stream: string; seq: number } | undefined): 'ok' | 'conflict' {
    const target = resume ? this.#streams.get(resume.stream) : undefined;
    if (target) {
      target.attach(res, resume!.seq, false);
      return 'ok';
    }
    if (this.#standalone?.attached) return 'conflict';
    this.#standalone ??= this.#openStandalone();
    this.#standalone.attach(res, undefined, this.#priming);
    return 'ok';
  }

  /** Ends the session: in-flight requests are abandoned, streams ended, the upstream session deleted. */
  async close(reason: string): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const abort of this.#inflight.values()) abort.abort();
    for (const stream of this.#streams.values()) {
      stream.end();
      stream.detach();
    }
    this.#streams.clear();
    this.host.sessionClosed(this, reason);
    await this.upstream.close();
  }

  #openStandalone(): SseStream {
    const stream = this.#newStream(true);
    this.upstream.listen((message) => this.#fromUpstreamStandalone(message));
    return stream;
  }

  /** Server messages outside any request; a list_changed also makes the governor re-list (pinning). */
  #fromUpstreamStandalone(message: JsonRpcMessage): void {
    if ('method' in message && message.method.endsWith('/list_changed')) {
      this.host.governor?.upstreamListChanged(this, message.method);
    }
    this.#standalone?.send(message);
  }

  #newStream(standalone: boolean): SseStream {
    const stream = new SseStream(standalone, (s, attached) => this.host.streamAttachChanged(s, attached));
    this.#streams.set(stream.id, stream);
    // Finished POST streams that were fully delivered are forgotten; keep the map small.
    if (this.#streams.size > 64) {
      for (const [id, s] of this.#streams) if (s.disposable) this.#streams.delete(id);
    }
    return stream;
  }

  #failureResponse(request: JsonRpcRequest, error: unknown, aborted: boolean): JsonRpcResponse | undefined {
    const server = this.info.serverName;
    if (error instanceof UpstreamError) {
      if (error.failure === 'closed' && aborted && !this.#closed) return undefined; // cancelled by the client
      const code =
        error.failure === 'timeout'
          ? ErrorCode.UpstreamTimeout
          : error.failure === 'needs-login'
            ? ErrorCode.UpstreamNeedsLogin
            : ErrorCode.UpstreamUnavailable;
      const text =
        error.failure === 'needs-login'
          ? `Server "${server}" requires a login: log in to it from Gatehouse (Logins page or \`gatehouse login ${server}\`)`
          : `Server "${server}" ${error.failure === 'timeout' ? 'did not answer in time' : 'failed'}: ${error.message}`;
      this.host.logger.warn('upstream request failed', {
        server,
        method: request.method,
        failure: error.failure,
        error: error.message,
      });
      return errorResponse(request.id, code, text, { server, failure: error.failure });
    }
    this.host.logger.error('relay failed', { server, method: request.method, error: String(error) });
    return errorResponse(
      request.id,
      ErrorCode.InternalError,
      `Gatehouse could not relay the request to "${server}"`,
    );
  }
}
