import http from 'node:http';
import type { Agent } from 'undici';
import type { ClientRecord } from '../../../shared/schemas/clients.ts';
import type { ServerConfig } from '../../../shared/schemas/servers.ts';
import type { Settings } from '../../../shared/schemas/settings.ts';
import { Emitter, type Event } from '../base/emitter.ts';
import { ErrorCode, type JsonRpcResponse } from '../base/json-rpc.ts';
import type { Logger } from '../base/logger.ts';
import { digestsEqual, hashToken } from '../store/client-tokens.ts';
import type { SecretStore } from '../store/secret-store.ts';
import type { SettingsStore } from '../store/settings-store.ts';
import type { DownstreamSession } from './downstream-session.ts';
import { listenOnLoopback, refuse } from './http-io.ts';
import { McpEndpoint } from './mcp-endpoint.ts';
import { bearerToken, checkHost, checkOrigin, tokenHelp } from './request-guards.ts';
import { SessionTable } from './session-table.ts';
import { AggregateTable } from './aggregate-table.ts';
import { serverAllowed } from './aggregate-names.ts';
import { SSE_KEEPALIVE } from './sse.ts';
import type { SseStream } from './sse-stream.ts';
import { createUpstreamAgent, headerValue } from './upstream/http-client.ts';
import { connectUpstream } from './upstream/connect-upstream.ts';
import { ownInitialize, type UpstreamOptions, type UpstreamSession } from './upstream/upstream-session.ts';
import { serverHeaderKey } from './server-secrets.ts';
import type { Governor } from '../policy/governor.ts';

const KEEPALIVE_MS = 15_000;

/** Extra routes (OAuth callback, headless UI and API) mounted by other modules on the same port. */
export interface RouteHandler {
  /** Returns true when it handled the request. Called after the Host and Origin checks. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> | boolean;
  /**
   * True for a request this route takes from another site's page (the OAuth redirect back from an
   * authorization server is a cross-site navigation); the Host check still applies.
   */
  acceptsCrossSite?(req: http.IncomingMessage, url: URL): boolean;
}

export interface GatewayStatusInfo {
  state: 'stopped' | 'starting' | 'listening' | 'error';
  port?: number;
  url?: string;
  error?: string;
}

export interface GatewayOptions {
  settings: SettingsStore;
  secrets: SecretStore;
  logger: Logger;
  /** Overrides settings' gateway.port (the `--port` flag). */
  port?: number;
  /** Policy, approvals and audit for tools/call; without it the gateway only relays. */
  governor?: Governor;
  /** First retry delay for a server left out of an aggregated `/mcp` session (doubling, at most 5 min). */
  aggregateRetryMs?: number;
  /** The server's OAuth login for upstream requests (electron/main/oauth), if Gatehouse manages logins. */
  upstreamAuth?: (server: ServerConfig) => UpstreamOptions['auth'];
}

/**
 * The localhost gateway: one HTTP server on 127.0.0.1 with the MCP endpoints, guarded by Host, Origin
 * and a per-client token on every request (architecture.md, Gateway surface).
 */
export class Gateway {
  readonly sessions: SessionTable;
  /** Sessions of the aggregated endpoint `/mcp` (their members are in `sessions`). */
  readonly aggregates: AggregateTable;
  readonly #o: GatewayOptions;
  /** Each client's servers and tool filter as last applied, to tell its sessions when they change. */
  #access = new Map<string, string>();
  readonly #logger: Logger;
  readonly #endpoint: McpEndpoint;
  readonly #agent: Agent;
  readonly #routes: RouteHandler[] = [];
  readonly #attached = new Set<SseStream>();
  readonly #health = new Map<string, { failing: boolean; error?: string; at: number }>();
  readonly #onDidChangeStatus = new Emitter<GatewayStatusInfo>();
  readonly #onDidCloseSession = new Emitter<{ session: DownstreamSession; reason: string }>();
  #server: http.Server | undefined;
  #keepalive: NodeJS.Timeout | undefined;
  #status: GatewayStatusInfo = { state: 'stopped' };
  #unsubscribe: (() => void) | undefined;

  readonly #onDidChangeHealth = new Emitter<string>();
  readonly onDidChangeStatus: Event<GatewayStatusInfo> = this.#onDidChangeStatus.event;
  /** Fires with a server name when its reachability changed. */
  readonly onDidChangeHealth: Event<string> = this.#onDidChangeHealth.event;
  readonly onDidCloseSession: Event<{ session: DownstreamSession; reason: string }> =
    this.#onDidCloseSession.event;

  constructor(options: GatewayOptions) {
    this.#o = options;
    this.#logger = options.logger.child('gateway');
    const prefs = () => options.settings.current;
    this.sessions = new SessionTable(() => prefs().sessions.idleMinutes * 60_000);
    this.aggregates = new AggregateTable(() => prefs().sessions.idleMinutes * 60_000);
    this.#access = accessOf(prefs());
    this.#agent = createUpstreamAgent(prefs().upstream.connectTimeoutSeconds * 1000);
    this.#endpoint = new McpEndpoint({
      sessions: this.sessions,
      agent: this.#agent,
      logger: this.#logger,
      connectTimeoutMs: () => prefs().upstream.connectTimeoutSeconds * 1000,
      reportHealth: (server, error) => this.#reportHealth(server, error),
      aggregates: this.aggregates,
      clientRecord: (name) => prefs().clients.find((c) => c.name === name && !c.revokedAt),
      reachableServers: (client) => prefs().servers.filter((s) => s.enabled && serverAllowed(client, s.name)),
      retryDelayMs: (attempt) =>
        Math.min(300_000, (options.aggregateRetryMs ?? 5_000) * 2 ** Math.max(0, attempt - 1)),
      upstreamOptions: (server) => this.#upstreamOptions(server),
      sessionHost: {
        logger: this.#logger,
        ...(options.governor ? { governor: options.governor } : {}),
        streamAttachChanged: (stream, attached) => this.#streamAttachChanged(stream, attached),
        sessionClosed: (session, reason) => {
          this.sessions.delete(session);
          this.#logger.info('session closed', {
            session: session.id.slice(0, 8),
            server: session.info.serverName,
            reason,
          });
          this.#onDidCloseSession.fire({ session, reason });
        },
      },
    });
  }

  get status(): GatewayStatusInfo {
    return this.#status;
  }

  /** Adds a route handler (OAuth callback, headless UI); mounted routes share the gateway's guards. */
  addRoute(handler: RouteHandler): void {
    this.#routes.push(handler);
  }

  /** Binds 127.0.0.1 only. A taken port is an error, never silently replaced (architecture.md §1). */
  async start(): Promise<{ port: number; url: string }> {
    const port = this.#o.port ?? this.#o.settings.current.gateway.port;
    this.#setStatus({ state: 'starting' });
    const server = http.createServer(
      {
        keepAlive: true,
        keepAliveInitialDelay: 30_000,
        headersTimeout: 10_000,
        requestTimeout: 60_000,
        maxHeaderSize: 16 * 1024,
      },
      (req, res) => void this.#onRequest(req, res),
    );
    server.on('clientError', (error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      this.#logger.debug('bad HTTP from a client', { error: error.message });
    });
    let actual: number;
    try {
      actual = await listenOnLoopback(server, port);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const message =
        code === 'EADDRINUSE'
          ? `port ${port} on 127.0.0.1 is already in use by another program; stop it or choose another port with --port or \`gatehouse config set gateway.port <n>\` (clients must then be pointed at the new port)`
          : `cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`;
      this.#setStatus({ state: 'error', error: message });
      throw new Error(message, { cause: error });
    }
    this.#server = server;
    const url = `http://127.0.0.1:${actual}`;
    const subscription = this.#o.settings.onDidChange((settings) => void this.#applySettings(settings));
    this.#unsubscribe = () => subscription.dispose();
    this.#setStatus({ state: 'listening', port: actual, url });
    this.#logger.info('listening', { url });
    return { port: actual, url };
  }

  /** Closes every session (deleting upstream sessions), then the listener and the upstream pool. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await this.aggregates.closeWhere(() => true, 'gateway stopping');
    await this.sessions.closeWhere(() => true, 'gateway stopping');
    if (this.#keepalive) clearInterval(this.#keepalive);
    this.#keepalive = undefined;
    const server = this.#server;
    this.#server = undefined;
    if (server) {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, 2_000).unref();
      });
    }
    // An upstream that never answers (a member of an aggregated session still connecting) must not
    // hold up shutdown: after a grace period the pool's connections are destroyed.
    const closed = await Promise.race([
      this.#agent.close().then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 2_000).unref()),
    ]);
    if (!closed) await this.#agent.destroy().catch(() => {});
    this.sessions.dispose();
    this.aggregates.dispose();
    this.#setStatus({ state: 'stopped' });
  }

  async #onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const port = this.#status.port ?? 0;
      const host = checkHost(req.rawHeaders, port);
      if (host) return refuse(res, host);
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (!this.#routes.some((route) => route.acceptsCrossSite?.(req, url) === true)) {
        const origin = checkOrigin(
          headerValue(req.headers, 'origin'),
          headerValue(req.headers, 'sec-fetch-site'),
          port,
        );
        if (origin) return refuse(res, origin);
      }
      const match = /^\/mcp\/([^/]+)\/?$/.exec(url.pathname);
      if (match) return await this.#mcp(req, res, decodeURIComponent(match[1]!));
      for (const route of this.#routes) if (await route.handle(req, res, url)) return;
      if (url.pathname === '/mcp' || url.pathname === '/mcp/') {
        const client = this.#authenticate(req, res);
        if (!client) return;
        // The aggregated endpoint: every server this client may reach, names as <server>__<name>.
        return await this.#endpoint.handle(req, res, undefined, client);
      }
      refuse(res, { status: 404, message: 'Not found' });
    } catch (error) {
      this.#logger.error('request failed', { url: req.url, error: (error as Error).stack ?? String(error) });
      if (!res.headersSent)
        refuse(res, { status: 500, message: 'Internal error in Gatehouse' }, ErrorCode.InternalError);
      else res.destroy();
    }
  }

  async #mcp(req: http.IncomingMessage, res: http.ServerResponse, serverName: string): Promise<void> {
    const client = this.#authenticate(req, res);
    if (!client) return;
    const server = this.#o.settings.current.servers.find((s) => s.name === serverName);
    if (!server || !server.enabled) {
      return refuse(res, {
        status: 404,
        message: server
          ? `Server "${serverName}" is disabled in Gatehouse`
          : `Unknown server "${serverName}" (see \`gatehouse server list\`)`,
      });
    }
    if (!serverAllowed(client, server.name)) {
      return refuse(res, {
        status: 403,
        message: `Client "${client.name}" may not use server "${serverName}": it is not in the client's server list (change it on Gatehouse's Clients page)`,
      });
    }
    await this.#endpoint.handle(req, res, server, client);
  }

  /** The client whose token this request carries, or a 401 that says how to get one. */
  #authenticate(req: http.IncomingMessage, res: http.ServerResponse): ClientRecord | undefined {
    const token = bearerToken(headerValue(req.headers, 'authorization'));
    const challenge = { 'www-authenticate': 'Bearer realm="Gatehouse"' };
    if (!token) {
      refuse(res, { status: 401, message: tokenHelp('missing') }, -32000, challenge);
      return undefined;
    }
    const hash = hashToken(token);
    const client = this.#o.settings.current.clients.find(
      (c) => !c.revokedAt && digestsEqual(c.tokenHash, hash),
    );
    if (!client) {
      refuse(res, { status: 401, message: tokenHelp('invalid') }, -32000, {
        'www-authenticate': 'Bearer realm="Gatehouse", error="invalid_token"',
      });
      return undefined;
    }
    return client;
  }

  #serverHeaders(serverName: string): Record<string, string> {
    const server = this.#o.settings.current.servers.find((s) => s.name === serverName);
    const headers: Record<string, string> = {};
    for (const name of server?.headerNames ?? []) {
      const value = this.#o.secrets.get(serverHeaderKey(serverName, name));
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    return headers;
  }

  /** Settings changed (here or by the CLI): end sessions whose server or client is gone. */
  async #applySettings(settings: Settings): Promise<void> {
    const servers = new Map<string, ServerConfig>(settings.servers.map((s) => [s.name, s]));
    const clients = new Map(settings.clients.filter((c) => !c.revokedAt).map((c) => [c.name, c]));
    await this.sessions.closeWhere((session) => {
      if (session.aggregateId !== undefined) return false; // its aggregate decides (refresh below)
      const server = servers.get(session.info.serverName);
      const client = clients.get(session.info.clientName);
      return !server || !server.enabled || !client || !serverAllowed(client, server.name);
    }, 'server or client removed, or the client may no longer use the server');
    // A changed tool filter changes what the client sees: its sessions hear list_changed.
    const before = this.#access;
    this.#access = accessOf(settings);
    const filterChanged = (name: string) =>
      before.get(name) !== undefined && before.get(name) !== this.#access.get(name);
    for (const session of this.sessions.all()) {
      if (session.aggregateId === undefined && filterChanged(session.info.clientName))
        session.notifyToolsChanged();
    }
    await Promise.all(this.aggregates.all().map((a) => a.refresh(filterChanged(a.info.clientName))));
  }

  #streamAttachChanged(stream: SseStream, attached: boolean): void {
    if (attached) this.#attached.add(stream);
    else this.#attached.delete(stream);
    // One timer for all open streams, only while there are any (no idle wakeups).
    if (this.#attached.size > 0 && !this.#keepalive) {
      this.#keepalive = setInterval(() => {
        for (const s of this.#attached) s.writeRaw(SSE_KEEPALIVE);
      }, KEEPALIVE_MS);
      this.#keepalive.unref();
    } else if (this.#attached.size === 0 && this.#keepalive) {
      clearInterval(this.#keepalive);
      this.#keepalive = undefined;
    }
  }

  /**
   * Opens an upstream session of Gatehouse's own (not a client's) to a server, for the periodic watch
   * of its tool definitions. The caller closes it.
   */
  async openOwnSession(
    server: ServerConfig,
  ): Promise<{ upstream: UpstreamSession; response: JsonRpcResponse }> {
    const init = ownInitialize('gatehouse-watch');
    const options = { ...this.#upstreamOptions(server), agent: this.#agent, logger: this.#logger };
    const { session, response } = await connectUpstream(
      options,
      init,
      this.#o.settings.current.upstream.connectTimeoutSeconds * 1000,
    );
    if ('result' in response) await session.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return { upstream: session, response };
  }

  #upstreamOptions(server: ServerConfig): Omit<UpstreamOptions, 'agent' | 'logger'> {
    const prefs = this.#o.settings.current;
    return {
      serverName: server.name,
      url: new URL(server.url),
      // Read from the secret store once per upstream session, not on every relayed message.
      headers: once(() => this.#serverHeaders(server.name)),
      ...(this.#o.upstreamAuth ? { auth: this.#o.upstreamAuth(server) } : {}),
      timeoutMs: prefs.upstream.timeoutSeconds * 1000,
      maxMessageBytes: prefs.upstream.maxMessageMiB * 1024 * 1024,
    };
  }

  /** The last connection outcome of a server, if any. */
  health(server: string): { failing: boolean; error?: string } | undefined {
    return this.#health.get(server);
  }

  #reportHealth(server: string, error?: string): void {
    const before = this.#health.get(server);
    this.#health.set(server, { failing: error !== undefined, ...(error ? { error } : {}), at: Date.now() });
    if (before?.failing !== (error !== undefined) || before?.error !== error)
      this.#onDidChangeHealth.fire(server);
  }

  #setStatus(status: GatewayStatusInfo): void {
    this.#status = status;
    this.#onDidChangeStatus.fire(status);
  }

  dispose(): void {
    this.#onDidChangeStatus.dispose();
    this.#onDidCloseSession.dispose();
    this.#onDidChangeHealth.dispose();
  }
}

/** Each active client's server access and tool filter, as comparable text. */
function accessOf(settings: Settings): Map<string, string> {
  return new Map(
    settings.clients
      .filter((c) => !c.revokedAt)
      .map((c) => [c.name, JSON.stringify([c.servers ?? null, c.toolFilter ?? null])]),
  );
}

function once<T>(fn: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: fn() }).v;
}
