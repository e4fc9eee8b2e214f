import crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ClientRecord } from '../../../shared/schemas/clients.ts';
import type { ServerConfig } from '../../../shared/schemas/servers.ts';
import {
  idKey,
  isRequest,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from '../base/json-rpc.ts';
import type { Logger } from '../base/logger.ts';
import { routeAggregateRequest } from './aggregate-requests.ts';
import { ResourceRoutes, toolAllowed } from './aggregate-names.ts';
import {
  DownstreamSession,
  type MemberOutlet,
  type SessionHost,
  type SessionInfo,
} from './downstream-session.ts';
import { DownstreamStreams } from './downstream-streams.ts';
import type { SessionTable } from './session-table.ts';
import type { RequestSink, UpstreamSession } from './upstream/upstream-session.ts';

export interface AggregateDeps {
  /** The host of member sessions: governor, logger, stream accounting. */
  host: SessionHost;
  /** Members are registered here like any session (Sessions page, audit, policy changes). */
  sessions: SessionTable;
  logger: Logger;
  /** Opens one member's upstream session with the client's (forwarded) initialize. */
  openUpstream(
    server: ServerConfig,
    init: JsonRpcRequest,
  ): Promise<{ upstream: UpstreamSession; response: JsonRpcResponse } | { error: string }>;
  /** The client's current record; undefined once it is revoked or removed. */
  client(name: string): ClientRecord | undefined;
  /** The enabled servers the client may reach now. */
  servers(client: ClientRecord): ServerConfig[];
  /** How long to wait before retrying a failed member (attempt 1, 2, …). */
  retryDelayMs(attempt: number): number;
  /** How long initialize waits for members; slower ones join the session later (list_changed). */
  initializeWaitMs(): number;
  /** The aggregate ended: forget it. */
  closed(session: AggregateSession, reason: string): void;
}

/** A member's {@link SessionInfo} without the server: what the aggregate shares with all its members. */
export type AggregateInfo = Omit<SessionInfo, 'serverName'>;

interface Failure {
  error: string;
  attempts: number;
  timer?: NodeJS.Timeout;
  /** The server's settings when it failed: once they change (a fixed URL, a header), retry at once. */
  config: string;
}

const LIST_CHANGED = [
  'notifications/tools/list_changed',
  'notifications/prompts/list_changed',
  'notifications/resources/list_changed',
];

/**
 * One session on the aggregated endpoint `/mcp`: a member {@link DownstreamSession} per server the
 * client may reach (so policy, approvals, audit and pinning apply exactly as on `/mcp/<server>`), with
 * names namespaced as `<server>__<name>`. A member that cannot be reached is left out, reported, and
 * retried; the others keep working.
 */
export class AggregateSession implements MemberOutlet {
  readonly id = crypto.randomBytes(24).toString('base64url');
  readonly startedAt = new Date();
  lastActivity = Date.now();
  requests = 0;
  readonly routes = new ResourceRoutes();
  readonly #members = new Map<string, DownstreamSession>();
  readonly #failed = new Map<string, Failure>();
  readonly #connecting = new Set<string>();
  readonly #inflight = new Set<string>();
  /** Server-to-client requests in flight: the id the client saw → the member and the member's id. */
  readonly #serverRequests = new Map<string, { server: string; id: JsonRpcId }>();
  #serverRequestSeq = 0;
  readonly #streams: DownstreamStreams;
  #initialized = false;
  #closed = false;

  readonly info: AggregateInfo;
  private readonly deps: AggregateDeps;
  private readonly init: JsonRpcRequest;

  /** `init` is the client's initialize, as forwarded to each member (clientInfo marked as relayed). */
  constructor(info: AggregateInfo, init: JsonRpcRequest, deps: AggregateDeps) {
    this.info = info;
    this.init = init;
    this.deps = deps;
    this.#streams = new DownstreamStreams(info.protocolVersion >= '2025-11-25', (s, attached) =>
      deps.host.streamAttachChanged(s, attached),
    );
  }

  get aggregateId(): string {
    return this.id;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get inFlight(): number {
    return this.#inflight.size;
  }

  get hasAttachedStream(): boolean {
    return this.#streams.hasAttached;
  }

  /** Members in server-name order. */
  members(): DownstreamSession[] {
    return [...this.#members.values()].sort((a, b) => a.info.serverName.localeCompare(b.info.serverName));
  }

  member(server: string): DownstreamSession | undefined {
    return this.#members.get(server);
  }

  /** Servers left out of this session, with why. */
  unavailable(): { server: string; error: string }[] {
    return [
      ...[...this.#failed].map(([server, f]) => ({ server, error: f.error })),
      ...[...this.#connecting].map((server) => ({ server, error: 'still connecting' })),
    ];
  }

  /** The client's current record (its tool filter and servers may change at any time). */
  client(): ClientRecord | undefined {
    return this.deps.client(this.info.clientName);
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /**
   * Opens a member for every server the client may reach, in parallel. Returns the initialize
   * results of those that answered (the others are left out and retried).
   */
  async start(): Promise<{ server: string; result: Record<string, unknown> }[]> {
    const client = this.client();
    const servers = client ? this.deps.servers(client) : [];
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.deps.initializeWaitMs());
    });
    const results = await Promise.all(
      servers.map(async (s) => {
        const connecting = this.#connect(s);
        const first = await Promise.race([connecting, late]);
        if (first !== 'late') return first;
        // Slow to answer: the client is not kept waiting; the server joins when it is ready.
        void connecting.then((joined) => {
          if (!joined) return;
          this.#log('info', `Server "${s.name}" is available now.`);
          this.#announceListsChanged();
        });
        return undefined;
      }),
    );
    clearTimeout(timer);
    return results.filter((r) => r !== undefined);
  }

  async #connect(
    server: ServerConfig,
  ): Promise<{ server: string; result: Record<string, unknown> } | undefined> {
    this.#connecting.add(server.name);
    let opened: Awaited<ReturnType<AggregateDeps['openUpstream']>>;
    try {
      opened = await this.deps.openUpstream(server, this.init);
    } catch (error) {
      opened = { error: `Gatehouse could not connect to it: ${String(error)}` };
    } finally {
      this.#connecting.delete(server.name);
    }
    if ('error' in opened) {
      this.#fail(server, opened.error);
      return undefined;
    }
    const { upstream, response } = opened;
    if ('error' in response || this.#closed) {
      await upstream.close();
      if ('error' in response) this.#fail(server, response.error.message);
      return undefined;
    }
    this.deps.host.governor?.observeInitialize(server.name, response);
    const member = new DownstreamSession(
      {
        clientName: this.info.clientName,
        clientInfo: this.info.clientInfo,
        serverName: server.name,
        protocolVersion: upstream.protocolVersion,
        profile: this.info.profile,
      },
      upstream,
      this.deps.host,
      {
        outlet: this,
        // Read at each use: a changed filter applies at once (the client hears list_changed).
        toolVisible: (tool: string) => toolAllowed(this.client(), server.name, tool),
      },
    );
    const failure = this.#failed.get(server.name);
    if (failure?.timer) clearTimeout(failure.timer);
    this.#failed.delete(server.name);
    this.#members.set(server.name, member);
    this.deps.sessions.add(member);
    if (this.#initialized) {
      await upstream.send({ jsonrpc: '2.0', method: 'notifications/initialized' }).catch(() => {});
    }
    member.listen();
    return { server: server.name, result: response.result };
  }

  /** Leaves a server out: logged, told to the client, retried later. */
  #fail(config: ServerConfig, error: string): void {
    if (this.#closed) return;
    const server = config.name;
    const failure = this.#failed.get(server) ?? { error, attempts: 0, config: '' };
    failure.error = error;
    failure.config = JSON.stringify(config);
    failure.attempts++;
    this.#failed.set(server, failure);
    // Said once per outage; the retries (backing off up to 5 minutes) are quiet.
    const fields = { session: this.id.slice(0, 8), server, error, attempt: failure.attempts };
    if (failure.attempts > 1) {
      this.deps.logger.debug('aggregated session: server still unavailable', fields);
    } else {
      this.deps.logger.warn('aggregated session: server left out', fields);
      this.#log(
        'warning',
        `Server "${server}" is unavailable and left out for now: ${error}. Gatehouse retries it.`,
      );
    }
    const delay = this.deps.retryDelayMs(failure.attempts);
    if (failure.timer) clearTimeout(failure.timer);
    failure.timer = setTimeout(() => void this.#retry(server), delay);
    failure.timer.unref();
  }

  async #retry(server: string): Promise<void> {
    if (this.#closed || this.#members.has(server) || this.#connecting.has(server)) return;
    const client = this.client();
    const config = client ? this.deps.servers(client).find((s) => s.name === server) : undefined;
    if (!config) {
      this.#failed.delete(server);
      return;
    }
    const back = await this.#connect(config);
    if (back) {
      this.deps.logger.info('aggregated session: server is back', { session: this.id.slice(0, 8), server });
      this.#log('info', `Server "${server}" is available again.`);
      this.#announceListsChanged();
    }
  }

  /**
   * Settings changed: members the client may no longer reach are closed, newly reachable servers are
   * opened, and the client hears of it.
   */
  async refresh(filterChanged: boolean): Promise<void> {
    if (this.#closed) return;
    const client = this.client();
    if (!client) return this.close('client revoked');
    const allowed = new Map(this.deps.servers(client).map((s) => [s.name, s]));
    let changed = filterChanged;
    for (const [name, member] of [...this.#members]) {
      if (!allowed.has(name)) {
        changed = true;
        this.#members.delete(name);
        this.routes.forget(name);
        await member.close('server no longer available to this client');
      }
    }
    for (const [name, failure] of this.#failed) {
      const config = allowed.get(name);
      if (!config) {
        if (failure.timer) clearTimeout(failure.timer);
        this.#failed.delete(name);
      } else if (JSON.stringify(config) !== failure.config) {
        if (failure.timer) clearTimeout(failure.timer);
        void this.#retry(name);
      }
    }
    const added = [...allowed.values()].filter(
      (s) => !this.#members.has(s.name) && !this.#failed.has(s.name) && !this.#connecting.has(s.name),
    );
    const opened = await Promise.all(added.map((s) => this.#connect(s)));
    if (opened.some((o) => o)) changed = true;
    if (changed) this.#announceListsChanged();
  }

  /** Relays one POSTed request to the member(s) it concerns. */
  async handleRequest(request: JsonRpcRequest, res: ServerResponse): Promise<void> {
    this.requests++;
    const key = idKey(request.id);
    this.#inflight.add(key);
    try {
      await this.#streams.respond(res, (sink) => routeAggregateRequest(this, request, sink));
    } finally {
      this.#inflight.delete(key);
      this.touch();
    }
  }

  /** A sink for one member's interim messages: server-to-client requests get ids unique in this session. */
  memberSink(member: DownstreamSession, sink: RequestSink): RequestSink {
    return { onStream: () => sink.onStream(), onMessage: (m) => sink.onMessage(this.#outbound(member, m)) };
  }

  /** Relays a client notification, or its response to a server-to-client request, to the right member. */
  async handleNotificationOrResponse(message: JsonRpcNotification | JsonRpcResponse): Promise<void> {
    if (!('method' in message)) {
      const key = message.id === null ? undefined : idKey(message.id);
      const target = key ? this.#serverRequests.get(key) : undefined;
      if (!target) {
        this.deps.logger.debug('aggregated session: response to an unknown request', { id: message.id });
        return;
      }
      this.#serverRequests.delete(key!);
      await this.#send(this.#members.get(target.server), { ...message, id: target.id });
      return;
    }
    if (message.method === 'notifications/initialized') this.#initialized = true;
    let targets = this.members();
    if (message.method === 'notifications/cancelled') {
      const requestId = message.params?.requestId;
      targets = targets.filter(
        (m) => (typeof requestId === 'string' || typeof requestId === 'number') && m.isInFlight(requestId),
      );
    }
    await Promise.all(targets.map((m) => this.#send(m, message)));
  }

  async #send(member: DownstreamSession | undefined, message: JsonRpcNotification | JsonRpcResponse) {
    if (!member) return;
    try {
      await member.handleNotificationOrResponse(message);
    } catch (error) {
      this.deps.logger.warn('aggregated session: a server did not accept a message', {
        server: member.info.serverName,
        error: String(error),
      });
    }
  }

  openStream(res: ServerResponse, resume: { stream: string; seq: number } | undefined): 'ok' | 'conflict' {
    return this.#streams.open(res, resume);
  }

  /** Ends the session and every member (DELETE, idle expiry, revoked client, gateway stopping). */
  async close(reason: string): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const failure of this.#failed.values()) if (failure.timer) clearTimeout(failure.timer);
    this.#failed.clear();
    this.#streams.closeAll();
    const members = [...this.#members.values()];
    this.#members.clear();
    this.deps.closed(this, reason);
    await Promise.all(members.map((m) => m.close(reason)));
  }

  // MemberOutlet: what members would have sent on their own standalone streams.

  memberMessage(member: DownstreamSession, message: JsonRpcMessage): void {
    if (this.#closed) return;
    this.#streams.sendStandalone(this.#outbound(member, message));
  }

  memberToolsChanged(): void {
    if (!this.#closed) this.#streams.sendStandalone({ jsonrpc: '2.0', method: LIST_CHANGED[0]! });
  }

  /**
   * A member ended from outside (the person terminated it on the Sessions page): the whole aggregated
   * session ends with it, as one session would. Members the aggregate closes itself are gone from
   * `#members` by then.
   */
  memberClosed(member: DownstreamSession, reason: string): void {
    const server = member.info.serverName;
    if (this.#closed || this.#members.get(server) !== member) return;
    this.#members.delete(server);
    void this.close(`member "${server}" ended: ${reason}`);
  }

  /** Messages from a member to the client: requests get a session-unique id, remembered for the answer. */
  #outbound(member: DownstreamSession, message: JsonRpcMessage): JsonRpcMessage {
    if ('method' in message && message.method === 'notifications/cancelled' && !isRequest(message)) {
      // The server gave up on one of its requests: name it as the client knows it.
      const requestId = message.params?.requestId;
      for (const [key, target] of this.#serverRequests) {
        if (target.server === member.info.serverName && target.id === requestId) {
          this.#serverRequests.delete(key);
          const id = key.slice(2); // idKey of a string id: "s:<id>"
          return { ...message, params: { ...message.params, requestId: id } };
        }
      }
      return message;
    }
    if (!isRequest(message)) return message;
    const id = `gatehouse-${++this.#serverRequestSeq}`;
    if (this.#serverRequests.size >= 1_000) {
      this.#serverRequests.delete(this.#serverRequests.keys().next().value!);
    }
    this.#serverRequests.set(idKey(id), { server: member.info.serverName, id: message.id });
    return { ...message, id };
  }

  #announceListsChanged(): void {
    if (this.#closed) return;
    for (const method of LIST_CHANGED) this.#streams.sendStandalone({ jsonrpc: '2.0', method });
  }

  /** An MCP log message to the client (logging capability), on the standalone stream. */
  #log(level: 'info' | 'warning', data: string): void {
    if (this.#closed) return;
    this.#streams.sendStandalone({
      jsonrpc: '2.0',
      method: 'notifications/message',
      params: { level, logger: 'gatehouse', data },
    });
  }
}
