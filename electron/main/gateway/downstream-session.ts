import crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  ErrorCode,
  errorResponse,
  idKey,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from '../base/json-rpc.ts';
import type { Logger } from '../base/logger.ts';
import { DownstreamStreams } from './downstream-streams.ts';
import type { SseStream } from './sse-stream.ts';
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
 * A session that is one member of an aggregated `/mcp` session: it has no HTTP streams of its own;
 * what it would send on its standalone stream goes to the aggregate instead.
 */
export interface MemberOutlet {
  /** The id of the aggregated session this member belongs to. */
  readonly aggregateId: string;
  /** A server message outside any request (list_changed, server-to-client requests, logs). */
  memberMessage(member: DownstreamSession, message: JsonRpcMessage): void;
  /** Policy or pinning changed what the client may see of this member's tools. */
  memberToolsChanged(member: DownstreamSession): void;
  /** The member ended (its server was removed, it was terminated, the gateway stops…). */
  memberClosed(member: DownstreamSession, reason: string): void;
}

export interface SessionOptions {
  /**
   * The client's tool filter: whether a tool (plain upstream name) may be shown and called. Absent,
   * every tool may. A filtered tool is treated like a hidden one: absent from lists, unknown to calls.
   */
  toolVisible?: (tool: string) => boolean;
  /** Set for the members of an aggregated session. */
  outlet?: MemberOutlet;
}

/**
 * One downstream MCP session: a client token, a server, and the upstream session it owns. It relays
 * at the message level — every method and field passes unchanged — and routes each upstream message to
 * the stream of the request it belongs to. A member of an aggregated session relays the same way (same
 * governance) but its messages reach the client through the aggregate.
 */
export class DownstreamSession {
  /** 128+ bits from a CSPRNG, visible ASCII (MCP transports §Session Management). */
  readonly id: string;
  readonly startedAt = new Date();
  lastActivity = Date.now();
  requests = 0;
  /** Tools the person allowed "for this session" in an approval. */
  readonly sessionAllowed = new Set<string>();
  /** Names of the tools this client was last shown, and which of them policy hid (for list_changed). */
  listed: { names: string[]; hidden: string } | undefined;
  readonly #inflight = new Map<string, AbortController>();
  readonly #streams: DownstreamStreams;
  #closed = false;

  readonly info: SessionInfo;
  readonly upstream: UpstreamSession;
  private readonly host: SessionHost;
  private readonly options: SessionOptions;

  constructor(info: SessionInfo, upstream: UpstreamSession, host: SessionHost, options: SessionOptions = {}) {
    this.info = info;
    this.upstream = upstream;
    this.host = host;
    this.options = options;
    const random = crypto.randomBytes(24).toString('base64url');
    // A member's id names its aggregate, so the audit log and the Sessions page can group them.
    this.id = options.outlet ? `${options.outlet.aggregateId}.${info.serverName}` : random;
    // Streams carry a priming event for clients on 2025-11-25 or later (older ones cannot parse empty data).
    this.#streams = new DownstreamStreams(info.protocolVersion >= '2025-11-25', (s, attached) =>
      host.streamAttachChanged(s, attached),
    );
  }

  /** The aggregated session this one is a member of, if any. */
  get aggregateId(): string | undefined {
    return this.options.outlet?.aggregateId;
  }

  get inFlight(): number {
    return this.#inflight.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a client is connected to any of this session's streams. */
  get hasAttachedStream(): boolean {
    return this.#streams.hasAttached;
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /** Whether a request with this id is in flight here (cancellations are routed by it). */
  isInFlight(id: JsonRpcId): boolean {
    return this.#inflight.has(idKey(id));
  }

  /** Relays one request; the response goes back as JSON, or on an SSE stream when upstream streams. */
  async handleRequest(request: JsonRpcRequest, res: ServerResponse): Promise<void> {
    await this.#streams.respond(res, (sink) => this.relayRequest(request, sink));
  }

  /**
   * Relays one request through policy to the upstream; interim messages go to `sink`. Undefined when
   * the client cancelled it (no response is due).
   */
  async relayRequest(request: JsonRpcRequest, sink: RequestSink): Promise<JsonRpcResponse | undefined> {
    this.requests++;
    const key = idKey(request.id);
    const abort = new AbortController();
    this.#inflight.set(key, abort);
    try {
      return await this.#relay(request, sink, abort);
    } finally {
      if (this.#inflight.get(key) === abort) this.#inflight.delete(key);
      this.touch();
    }
  }

  /** Passes governed methods through the host's governor; everything else goes straight upstream. */
  async #relay(
    request: JsonRpcRequest,
    sink: RequestSink,
    abort: AbortController,
  ): Promise<JsonRpcResponse | undefined> {
    const forward = () => this.#forward(request, sink, abort);
    if (request.method === 'tools/call' && !this.#toolVisible(request.params?.name)) {
      // Filtered out for this client: as unknown as a hidden tool (mcp-protocol-notes.md §5.6), and
      // audited like one.
      await this.host.governor?.recordFiltered(this, request);
      return errorResponse(
        request.id,
        ErrorCode.InvalidParams,
        `Unknown tool: ${String(request.params?.name)}`,
      );
    }
    if (request.method === 'tools/list')
      return this.#filterTools(await this.#governed(request, sink, abort, forward));
    return this.#governed(request, sink, abort, forward);
  }

  async #governed(
    request: JsonRpcRequest,
    sink: RequestSink,
    abort: AbortController,
    forward: () => Promise<JsonRpcResponse | undefined>,
  ): Promise<JsonRpcResponse | undefined> {
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

  #toolVisible(name: unknown): boolean {
    return !this.options.toolVisible || (typeof name === 'string' && this.options.toolVisible(name));
  }

  /** Applies the client's tool filter to a tools/list result. */
  #filterTools(response: JsonRpcResponse | undefined): JsonRpcResponse | undefined {
    if (!this.options.toolVisible || !response || !('result' in response)) return response;
    const tools = response.result.tools;
    if (!Array.isArray(tools)) return response;
    const visible = tools.filter((t: { name?: unknown }) => this.#toolVisible(t.name));
    if (visible.length === tools.length) return response;
    return { ...response, result: { ...response.result, tools: visible } };
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
    if (this.options.outlet) return this.options.outlet.memberToolsChanged(this);
    this.listen();
    this.#streams.sendStandalone({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
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
    const outcome = this.#streams.open(res, resume);
    if (outcome === 'ok') this.listen();
    return outcome;
  }

  /** Ends the session: in-flight requests are abandoned, streams ended, the upstream session deleted. */
  async close(reason: string): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const abort of this.#inflight.values()) abort.abort();
    this.#streams.closeAll();
    this.host.sessionClosed(this, reason);
    this.options.outlet?.memberClosed(this, reason);
    await this.upstream.close();
  }

  /** Starts receiving the server's messages that belong to no request (idempotent). */
  listen(): void {
    if (this.#closed) return;
    this.upstream.listen((message) => this.#fromUpstreamStandalone(message));
  }

  /** Server messages outside any request; a list_changed also makes the governor re-list (pinning). */
  #fromUpstreamStandalone(message: JsonRpcMessage): void {
    if ('method' in message && message.method.endsWith('/list_changed')) {
      this.host.governor?.upstreamListChanged(this, message.method);
    }
    if (this.options.outlet) this.options.outlet.memberMessage(this, message);
    else this.#streams.sendStandalone(message);
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
