import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { ClientRecord } from '../../../shared/schemas/clients.ts';
import type { ServerConfig } from '../../../shared/schemas/servers.ts';
import {
  classifyMessage,
  ErrorCode,
  errorResponse,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from '../base/json-rpc.ts';
import type { Logger } from '../base/logger.ts';
import { openAggregate } from './aggregate-open.ts';
import { toolAllowed } from './aggregate-names.ts';
import type { AggregateTable } from './aggregate-table.ts';
import { DownstreamSession, type SessionHost } from './downstream-session.ts';
import { BodyTooLargeError, readBody, refuse, writeJson } from './http-io.ts';
import { checkServerUrl } from '../services/server-url.ts';
import { checkPostHeaders, checkProtocolVersion } from './request-guards.ts';
import { parseEventId } from './sse-stream.ts';
import type { SessionTable } from './session-table.ts';
import { connectUpstream } from './upstream/connect-upstream.ts';
import { headerValue } from './upstream/http-client.ts';
import { UpstreamError } from './upstream/upstream-error.ts';
import type { UpstreamOptions, UpstreamSession } from './upstream/upstream-session.ts';

/** Bodies over this size get 413 (issue: 4 MiB, the SDK's default too). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface EndpointDeps {
  sessions: SessionTable;
  sessionHost: SessionHost;
  agent: Dispatcher;
  logger: Logger;
  /** Upstream options for a server (headers resolved from the secret store at each use). */
  upstreamOptions(server: ServerConfig): Omit<UpstreamOptions, 'agent' | 'logger'>;
  connectTimeoutMs(): number;
  /** Records whether a server could be reached, for its status. */
  reportHealth(server: string, error?: string): void;
  /** Sessions of the aggregated endpoint `/mcp`. */
  aggregates: AggregateTable;
  /** A client's current record (undefined once revoked). */
  clientRecord(name: string): ClientRecord | undefined;
  /** The enabled servers a client may reach, for `/mcp`. */
  reachableServers(client: ClientRecord): ServerConfig[];
  /** Delay before retrying a server left out of an aggregated session. */
  retryDelayMs(attempt: number): number;
}

/** What the endpoint needs of a session, per-server or aggregated. */
interface EndpointSession {
  touch(): void;
  handleRequest(request: JsonRpcRequest, res: ServerResponse): Promise<void>;
  handleNotificationOrResponse(message: JsonRpcNotification | JsonRpcResponse): Promise<void>;
  openStream(res: ServerResponse, resume: { stream: string; seq: number } | undefined): 'ok' | 'conflict';
  close(reason: string): Promise<void>;
}

/**
 * Downstream Streamable HTTP (MCP 2025-11-25 basic/transports) for `/mcp/<server>` and the aggregated
 * `/mcp` (server undefined): POST, GET and DELETE, sessions bound to the client token, everything else
 * refused with the spec's status codes.
 */
export class McpEndpoint {
  private readonly deps: EndpointDeps;

  constructor(deps: EndpointDeps) {
    this.deps = deps;
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    server: ServerConfig | undefined,
    client: ClientRecord,
  ): Promise<void> {
    const version = checkProtocolVersion(headerValue(req.headers, 'mcp-protocol-version'));
    if (version) return refuse(res, version);
    switch (req.method) {
      case 'POST':
        return this.#post(req, res, server, client);
      case 'GET':
        return this.#get(req, res, server, client);
      case 'DELETE':
        return this.#delete(req, res, server, client);
      default:
        return refuse(res, { status: 405, message: 'Method not allowed' }, -32000, {
          allow: 'GET, POST, DELETE',
        });
    }
  }

  async #post(
    req: IncomingMessage,
    res: ServerResponse,
    server: ServerConfig | undefined,
    client: ClientRecord,
  ): Promise<void> {
    const headers = checkPostHeaders(
      headerValue(req.headers, 'content-type'),
      headerValue(req.headers, 'accept'),
    );
    if (headers) return refuse(res, headers);
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.setHeader('connection', 'close');
        return refuse(res, {
          status: 413,
          message: `Payload too large: the limit is ${MAX_BODY_BYTES} bytes`,
        });
      }
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return refuse(
        res,
        { status: 400, message: `Parse error: ${(error as Error).message}` },
        ErrorCode.ParseError,
      );
    }
    const classified = classifyMessage(value);
    if ('error' in classified) {
      return refuse(
        res,
        { status: 400, message: `Invalid Request: ${classified.error}` },
        ErrorCode.InvalidRequest,
      );
    }
    const { kind, message } = classified;
    if (kind === 'request' && (message as JsonRpcRequest).method === 'initialize') {
      if (!server) return this.#initializeAggregate(res, message as JsonRpcRequest, client);
      return this.#initialize(res, message as JsonRpcRequest, server, client);
    }
    const session = this.#session(req, res, server, client);
    if (!session) return;
    session.touch();
    if (kind === 'request') {
      await session.handleRequest(message as JsonRpcRequest, res);
      return;
    }
    try {
      await session.handleNotificationOrResponse(message);
    } catch (error) {
      const text = error instanceof UpstreamError ? error.message : String(error);
      return refuse(
        res,
        {
          status: 502,
          message: `Server "${server?.name ?? '?'}" did not accept the message: ${text}`,
        },
        ErrorCode.UpstreamUnavailable,
      );
    }
    res.writeHead(202).end();
  }

  async #initialize(
    res: ServerResponse,
    request: JsonRpcRequest,
    server: ServerConfig,
    client: ClientRecord,
  ): Promise<void> {
    const { clientInfo, forwarded, profile } = relayedInitialize(request);
    const connected = await this.openUpstream(server, forwarded);
    if ('error' in connected) {
      return writeJson(
        res,
        200,
        errorResponse(request.id, connected.code, connected.error, {
          server: server.name,
          failure: connected.failure,
        }),
      );
    }
    const { upstream, response } = connected;
    if ('result' in response) this.deps.sessionHost.governor?.observeInitialize(server.name, response);
    if ('error' in response) {
      await upstream.close();
      return writeJson(res, 200, response);
    }
    const session = new DownstreamSession(
      {
        clientName: client.name,
        clientInfo,
        serverName: server.name,
        protocolVersion: upstream.protocolVersion,
        profile,
      },
      upstream,
      this.deps.sessionHost,
      // The client's tool filter, read at each use (a change applies at once).
      { toolVisible: (tool) => toolAllowed(this.deps.clientRecord(client.name), server.name, tool) },
    );
    this.deps.sessions.add(session);
    writeJson(res, 200, response, { 'mcp-session-id': session.id });
  }

  /**
   * Opens an upstream session for a server (the transport rule re-checked first), or says why not.
   * The server's health is updated either way.
   */
  async openUpstream(
    server: ServerConfig,
    init: JsonRpcRequest,
  ): Promise<
    | { upstream: UpstreamSession; response: JsonRpcResponse }
    | { error: string; code: number; failure: string }
  > {
    // settings.json can be edited by hand: re-check the transport rule before any byte goes out.
    const allowed = checkServerUrl(server.url, server.allowInsecureHttp);
    if ('error' in allowed) {
      return {
        error: `Server "${server.name}" is not allowed: ${allowed.error}`,
        code: ErrorCode.UpstreamUnavailable,
        failure: 'not-allowed',
      };
    }
    const options: UpstreamOptions = {
      ...this.deps.upstreamOptions(server),
      agent: this.deps.agent,
      logger: this.deps.logger,
    };
    try {
      const { session: upstream, response } = await connectUpstream(
        options,
        init,
        this.deps.connectTimeoutMs(),
      );
      // Policy can change what this client may see at any time, so the gateway announces list changes
      // itself (MCP tools §List Changed; mcp-protocol-notes.md §5.1).
      const capabilities =
        'result' in response ? (response.result.capabilities as { tools?: object } | undefined) : undefined;
      if (capabilities?.tools) capabilities.tools = { ...capabilities.tools, listChanged: true };
      this.deps.reportHealth(server.name);
      return { upstream, response };
    } catch (error) {
      const failure =
        error instanceof UpstreamError ? error : new UpstreamError('unreachable', String(error));
      this.deps.logger.warn('could not open upstream session', {
        server: server.name,
        error: failure.message,
      });
      this.deps.reportHealth(server.name, failure.message);
      const needsLogin = failure.failure === 'needs-login';
      return {
        code: needsLogin ? ErrorCode.UpstreamNeedsLogin : ErrorCode.UpstreamUnavailable,
        error: needsLogin
          ? `Server "${server.name}" requires a login: log in to it from Gatehouse (\`gatehouse login ${server.name}\`)`
          : `Server "${server.name}" is unavailable: ${failure.message}`,
        failure: failure.failure,
      };
    }
  }

  async #initializeAggregate(
    res: ServerResponse,
    request: JsonRpcRequest,
    client: ClientRecord,
  ): Promise<void> {
    const { clientInfo, forwarded, profile } = relayedInitialize(request);
    const { session, response } = await openAggregate({ request, forwarded, clientInfo, profile }, client, {
      host: this.deps.sessionHost,
      sessions: this.deps.sessions,
      logger: this.deps.logger,
      openUpstream: (server, init) => this.openUpstream(server, init),
      client: (name) => this.deps.clientRecord(name),
      servers: (c) => this.deps.reachableServers(c),
      retryDelayMs: (attempt) => this.deps.retryDelayMs(attempt),
      initializeWaitMs: () => this.deps.connectTimeoutMs(),
      closed: (s) => this.deps.aggregates.delete(s),
    });
    this.deps.aggregates.add(session);
    writeJson(res, 200, response, { 'mcp-session-id': session.id });
  }

  async #get(
    req: IncomingMessage,
    res: ServerResponse,
    server: ServerConfig | undefined,
    client: ClientRecord,
  ): Promise<void> {
    if (!(headerValue(req.headers, 'accept') ?? '').toLowerCase().includes('text/event-stream')) {
      return refuse(res, { status: 406, message: 'Not Acceptable: Client must accept text/event-stream' });
    }
    const session = this.#session(req, res, server, client);
    if (!session) return;
    session.touch();
    const outcome = session.openStream(res, parseEventId(headerValue(req.headers, 'last-event-id')));
    if (outcome === 'conflict') {
      refuse(res, { status: 409, message: 'Conflict: Only one SSE stream is allowed per session' });
    }
  }

  async #delete(
    req: IncomingMessage,
    res: ServerResponse,
    server: ServerConfig | undefined,
    client: ClientRecord,
  ): Promise<void> {
    const session = this.#session(req, res, server, client);
    if (!session) return;
    await session.close('deleted by client');
    res.writeHead(200).end();
  }

  /** The session named by Mcp-Session-Id, if it exists for this client and server; else answers 400/404. */
  #session(
    req: IncomingMessage,
    res: ServerResponse,
    server: ServerConfig | undefined,
    client: ClientRecord,
  ): EndpointSession | undefined {
    const id = headerValue(req.headers, 'mcp-session-id');
    if (!id) {
      refuse(res, { status: 400, message: 'Bad Request: Mcp-Session-Id header is required' });
      return undefined;
    }
    const session = server
      ? this.deps.sessions.find(id, client.name, server.name)
      : this.deps.aggregates.find(id, client.name);
    if (!session) {
      refuse(res, { status: 404, message: 'Session not found' }, ErrorCode.SessionNotFound);
      return undefined;
    }
    return session;
  }
}

/** What the client's initialize says about it, and the initialize as upstreams receive it. */
export function relayedInitialize(request: JsonRpcRequest): {
  clientInfo: { name: string; version?: string };
  forwarded: JsonRpcRequest;
  profile: string;
} {
  const params = (request.params ?? {}) as {
    clientInfo?: { name?: unknown; version?: unknown };
    capabilities?: Record<string, unknown>;
  };
  const clientInfo = {
    name: typeof params.clientInfo?.name === 'string' ? params.clientInfo.name : 'unknown',
    ...(typeof params.clientInfo?.version === 'string' ? { version: params.clientInfo.version } : {}),
  };
  // The upstream sees the real client, marked as relayed (mcp-remote does the same).
  const forwarded: JsonRpcRequest = {
    ...request,
    params: {
      ...request.params,
      clientInfo: { ...params.clientInfo, name: `${clientInfo.name} via Gatehouse` },
    },
  };
  return { clientInfo, forwarded, profile: capabilityProfile(params.capabilities) };
}

/** The declared client capabilities that decide which tools a server offers, e.g. `elicitation+sampling`. */
export function capabilityProfile(capabilities: Record<string, unknown> | undefined): string {
  return ['elicitation', 'roots', 'sampling', 'tasks']
    .filter((c) => capabilities?.[c] !== undefined)
    .join('+');
}
