import type { ServicesHandlers } from '../../../shared/ipc/contract.ts';
import { settingsEvents, type ServiceEvent } from '../../../shared/ipc/events.ts';
import {
  addServerInputSchema,
  serverAuthSchema,
  headerNameSchema,
  type ServerConfig,
  type ServerView,
} from '../../../shared/schemas/servers.ts';
import type { ClientView } from '../../../shared/schemas/clients.ts';
import { approvalAnswerSchema } from '../../../shared/schemas/approvals.ts';
import {
  preferencesSchema,
  writePreference,
  type PreferenceKey,
  type Settings,
} from '../../../shared/schemas/settings.ts';
import type { LiveSession } from '../../../shared/schemas/sessions.ts';
import { Emitter, type Event } from '../base/emitter.ts';
import type { Gateway } from '../gateway/gateway-server.ts';
import { serverClientSecretKey, serverHeaderKey, serverSecretPrefix } from '../gateway/server-secrets.ts';
import { isPauseActive } from '../policy/decide.ts';
import type { SecretStore } from '../store/secret-store.ts';
import { describeZodError, type SettingsStore } from '../store/settings-store.ts';
import { checkServerUrl } from './server-url.ts';
import { testServer } from './server-test.ts';
import { acceptChanges, rejectChange } from './change-services.ts';
import {
  addClient,
  listClients,
  revokeClient,
  updateClient,
  type ClientServiceDeps,
} from './client-services.ts';
import { ServiceError } from './service-error.ts';

export { ServiceError };
import type { ApprovalQueue } from '../policy/approval-queue.ts';
import type { PinService } from '../pinning/pin-service.ts';
import {
  addRule,
  answerApproval,
  auditReader,
  listApprovals,
  pauseWrites,
  removeRule,
  resumeWrites,
  type PolicyServiceDeps,
} from './policy-services.ts';

type ChannelIn<C extends keyof ServicesHandlers> = Parameters<ServicesHandlers[C]>[0];

/** The Logins page's channels, implemented by the OAuth part of the core (electron/main/oauth). */
export type LoginHandlers = Pick<ServicesHandlers, 'logins.list' | 'logins.start' | 'logins.logout'> & {
  /** Whether a server waits for the person to log in (its status is then 'needs-login'). */
  needsLogin?(server: string): boolean;
};

/** The Clients page's config-file channels (electron/main/connections). */
export type ConnectionHandlers = Pick<
  ServicesHandlers,
  'clients.detect' | 'clients.preview' | 'clients.connect' | 'clients.disconnect' | 'clients.adopt'
>;

/**
 * The services contract (shared/ipc/contract.ts) implemented on the core. Every UI — Electron IPC,
 * the headless HTTP API, the command line — goes through these handlers.
 */
export class GatewayServices implements ServicesHandlers {
  readonly #settings: SettingsStore;
  readonly #secrets: SecretStore;
  readonly #gateway: Gateway | undefined;
  readonly #dataDir: string;
  readonly #policy: PolicyServiceDeps;
  readonly #clients: ClientServiceDeps;
  readonly #pins: PinService | undefined;
  #logins: LoginHandlers | undefined;
  #connections: ConnectionHandlers | undefined;
  readonly #onDidChange = new Emitter<ServiceEvent>();
  readonly #disposables: { dispose(): void }[] = [];

  /** Change events for UIs: refetch what the event names. */
  readonly onDidChange: Event<ServiceEvent> = this.#onDidChange.event;

  /** Lets attached parts (logins, connections) raise their own events through the one stream. */
  fire(event: ServiceEvent): void {
    this.#onDidChange.fire(event);
  }

  constructor(options: {
    settings: SettingsStore;
    secrets: SecretStore;
    gateway?: Gateway;
    dataDir: string;
    approvals?: ApprovalQueue;
    audit?: PolicyServiceDeps['audit'];
    pins?: PinService;
  }) {
    this.#pins = options.pins;
    if (options.pins) {
      const pins = options.pins;
      this.#disposables.push(
        pins.onDidChange(() =>
          this.#onDidChange.fire({ type: 'changes-changed', pending: pins.pending().length }),
        ),
      );
    }
    this.#policy = {
      settings: () => this.#settings.current,
      update: (mutate) => this.#update(mutate),
      ...(options.approvals ? { approvals: options.approvals } : {}),
      ...(options.audit ? { audit: options.audit } : {}),
    };
    this.#clients = {
      settings: () => this.#settings.current,
      update: (mutate) => this.#update(mutate),
      secrets: options.secrets,
      liveSessions: (client) =>
        (this.#gateway?.sessions.all() ?? []).filter((s) => s.info.clientName === client).length,
    };
    if (options.approvals) {
      const approvals = options.approvals;
      this.#disposables.push(
        approvals.onDidChange(() =>
          this.#onDidChange.fire({ type: 'approvals-changed', pending: approvals.size }),
        ),
      );
    }
    this.#settings = options.settings;
    this.#secrets = options.secrets;
    this.#gateway = options.gateway;
    this.#dataDir = options.dataDir;
    let previous = this.#settings.current;
    this.#disposables.push(
      this.#settings.onDidChange((next) => {
        for (const event of settingsEvents(previous, next)) this.#onDidChange.fire(event);
        previous = next;
      }),
    );
    if (this.#gateway) {
      this.#disposables.push(
        this.#gateway.sessions.onDidChange(() => this.#onDidChange.fire({ type: 'sessions-changed' })),
        this.#gateway.onDidChangeStatus(() => this.#onDidChange.fire({ type: 'status-changed' })),
        this.#gateway.onDidChangeHealth(() => this.#onDidChange.fire({ type: 'servers-changed' })),
      );
    }
  }

  async 'status.get'() {
    const status = this.#gateway?.status ?? { state: 'stopped' as const };
    const pause = this.#settings.current.pause;
    return {
      ...status,
      dataDir: this.#dataDir,
      sessions: this.#gateway?.sessions.size ?? 0,
      servers: this.#settings.current.servers.length,
      settingsProblem: this.#settings.problem,
      ...(isPauseActive(pause, new Date()) ? { pause } : {}),
    };
  }

  async 'servers.list'(): Promise<ServerView[]> {
    return this.#settings.current.servers.map((server) => this.#view(server));
  }

  async 'servers.add'(input: Parameters<ServicesHandlers['servers.add']>[0]): Promise<ServerView> {
    for (const name of Object.keys(input.headers ?? {})) {
      const checkedName = headerNameSchema.safeParse(name);
      if (!checkedName.success)
        throw new ServiceError(`header "${name}": ${checkedName.error.issues[0]?.message}`);
    }
    const parsed = addServerInputSchema.parse(input);
    const checked = checkServerUrl(parsed.url, parsed.allowInsecureHttp);
    if ('error' in checked) throw new ServiceError(checked.error);
    const headerNames = Object.keys(parsed.headers);
    let wroteSecrets = false;
    try {
      this.#update((draft) => {
        if (draft.servers.some((s) => s.name === parsed.name)) {
          throw new ServiceError(`a server named "${parsed.name}" already exists`);
        }
        // Under the settings lock, after the name is known to be free: a server is never listed
        // without its secret headers, and no other server's secrets can be overwritten.
        this.#storeHeaders(parsed.name, parsed.headers);
        wroteSecrets = true;
        draft.servers.push({
          name: parsed.name,
          url: checked.url,
          enabled: true,
          trusted: parsed.trusted,
          headerNames,
          allowInsecureHttp: parsed.allowInsecureHttp,
          onToolChange: parsed.onToolChange,
          auth: parsed.auth,
          createdAt: new Date().toISOString(),
        });
        if (parsed.clientSecret) this.#secrets.set(serverClientSecretKey(parsed.name), parsed.clientSecret);
      });
    } catch (error) {
      if (wroteSecrets) this.#secrets.deletePrefix(serverSecretPrefix(parsed.name));
      throw error;
    }
    return this.#view(this.#server(parsed.name));
  }

  async 'servers.update'(input: Parameters<ServicesHandlers['servers.update']>[0]): Promise<ServerView> {
    const current = this.#server(input.name);
    const allowInsecureHttp = input.allowInsecureHttp ?? current.allowInsecureHttp;
    const checked = checkServerUrl(input.url ?? current.url, allowInsecureHttp);
    if ('error' in checked) throw new ServiceError(checked.error);
    if (input.headers) {
      for (const name of Object.keys(input.headers)) {
        const ok = addServerInputSchema.shape.headers.safeParse({ [name]: input.headers[name] });
        if (!ok.success) throw new ServiceError(describeZodError(ok.error));
      }
    }
    this.#update(
      (draft) => {
        const server = draft.servers.find((s) => s.name === input.name)!;
        server.url = checked.url;
        server.allowInsecureHttp = allowInsecureHttp;
        if (input.trusted !== undefined) server.trusted = input.trusted;
        if (input.onToolChange !== undefined) server.onToolChange = input.onToolChange;
        if (input.auth !== undefined) server.auth = serverAuthSchema.parse(input.auth);
        if (input.headers) server.headerNames = Object.keys(input.headers);
      },
      () => {
        if (input.clientSecret === '') this.#secrets.delete(serverClientSecretKey(input.name));
        else if (input.clientSecret) this.#secrets.set(serverClientSecretKey(input.name), input.clientSecret);
        if (!input.headers) return;
        this.#secrets.deletePrefix(serverHeaderKey(input.name, ''));
        this.#storeHeaders(input.name, input.headers);
      },
    );
    return this.#view(this.#server(input.name));
  }

  async 'servers.remove'(input: { name: string }) {
    this.#server(input.name);
    this.#update((draft) => {
      draft.servers = draft.servers.filter((s) => s.name !== input.name);
    });
    this.#secrets.deletePrefix(serverSecretPrefix(input.name));
    return { ok: true as const };
  }

  async 'servers.test'(input: { name: string }) {
    const server = this.#server(input.name);
    if (!this.#gateway) throw new ServiceError('servers are tested by the running Gatehouse');
    return testServer(this.#gateway, server);
  }

  async 'servers.setEnabled'(input: { name: string; enabled: boolean }) {
    this.#server(input.name);
    this.#update((draft) => {
      draft.servers.find((s) => s.name === input.name)!.enabled = input.enabled;
    });
    return { ok: true as const };
  }

  async 'clients.list'(): Promise<ClientView[]> {
    return listClients(this.#clients);
  }

  async 'clients.add'(input: { name: string }) {
    return addClient(this.#clients, input.name);
  }

  async 'clients.revoke'(input: { name: string }) {
    revokeClient(this.#clients, input.name);
    return { ok: true as const };
  }

  async 'clients.update'(input: ChannelIn<'clients.update'>): Promise<ClientView> {
    return updateClient(this.#clients, input);
  }

  async 'clients.detect'() {
    return this.#connectionHandlers()['clients.detect'](undefined);
  }

  async 'clients.preview'(input: ChannelIn<'clients.preview'>) {
    return this.#connectionHandlers()['clients.preview'](input);
  }

  async 'clients.connect'(input: ChannelIn<'clients.connect'>) {
    return this.#connectionHandlers()['clients.connect'](input);
  }

  async 'clients.disconnect'(input: ChannelIn<'clients.disconnect'>) {
    return this.#connectionHandlers()['clients.disconnect'](input);
  }

  async 'clients.adopt'(input: ChannelIn<'clients.adopt'>) {
    return this.#connectionHandlers()['clients.adopt'](input);
  }

  async 'logins.list'() {
    return this.#loginHandlers()['logins.list'](undefined);
  }

  async 'logins.start'(input: ChannelIn<'logins.start'>) {
    this.#server(input.name);
    return this.#loginHandlers()['logins.start'](input);
  }

  async 'logins.logout'(input: ChannelIn<'logins.logout'>) {
    this.#server(input.name);
    return this.#loginHandlers()['logins.logout'](input);
  }

  /** Attaches the OAuth part of the core (it needs these services' settings, so it comes after). */
  setLogins(logins: LoginHandlers): void {
    this.#logins = logins;
  }

  /** Attaches the client config writers. */
  setConnections(connections: ConnectionHandlers): void {
    this.#connections = connections;
  }

  async 'settings.get'() {
    return preferencesSchema.parse(this.#settings.current);
  }

  async 'settings.set'(input: { key: PreferenceKey; value: unknown }) {
    this.#update((draft) => writePreference(draft, input.key, input.value));
    return preferencesSchema.parse(this.#settings.current);
  }

  async 'sessions.list'(): Promise<LiveSession[]> {
    return (this.#gateway?.sessions.all() ?? []).map((s) => ({
      id: s.id,
      client: s.info.clientName,
      clientInfo: s.info.clientInfo,
      server: s.info.serverName,
      protocolVersion: s.info.protocolVersion,
      transport: s.upstream.transport,
      startedAt: s.startedAt.toISOString(),
      lastActivityAt: new Date(s.lastActivity).toISOString(),
      requests: s.requests,
      inFlight: s.inFlight,
    }));
  }

  async 'policy.list'() {
    return this.#settings.current.rules;
  }

  async 'policy.add'(input: ChannelIn<'policy.add'>) {
    return addRule(this.#policy, input);
  }

  async 'policy.remove'(input: { id: string }) {
    removeRule(this.#policy, input.id);
    return { ok: true as const };
  }

  async 'policy.pause'(input: ChannelIn<'policy.pause'>) {
    return pauseWrites(this.#policy, input.mode ?? 'ask', input.forMinutes);
  }

  async 'policy.resume'() {
    resumeWrites(this.#policy);
    return { ok: true as const };
  }

  async 'approvals.list'() {
    return listApprovals(this.#policy);
  }

  async 'approvals.answer'(input: ChannelIn<'approvals.answer'>) {
    answerApproval(this.#policy, input.id, approvalAnswerSchema.parse(input.answer), input.argumentsHash);
    return { ok: true as const };
  }

  async 'audit.query'(input: ChannelIn<'audit.query'>) {
    return auditReader(this.#policy).query(input);
  }

  async 'audit.verify'() {
    return auditReader(this.#policy).verify();
  }

  async 'changes.list'(input: ChannelIn<'changes.list'>) {
    return this.#changes().list(input ?? {});
  }

  async 'changes.get'(input: { id: string }) {
    const change = this.#changes().get(input.id);
    if (!change) throw new ServiceError(`no change "${input.id}"`);
    return change;
  }

  async 'changes.accept'(input: ChannelIn<'changes.accept'>) {
    return { accepted: acceptChanges(this.#changes(), this.#settings.current, input) };
  }

  async 'changes.reject'(input: { id: string }) {
    rejectChange(this.#changes(), input.id);
    return { ok: true as const };
  }

  async 'sessions.terminate'(input: { id: string }) {
    const session = this.#gateway?.sessions.get(input.id);
    if (!session) throw new ServiceError('no such session (it may have ended already)');
    await session.close('terminated in Gatehouse');
    return { ok: true as const };
  }

  dispose(): void {
    for (const d of this.#disposables) d.dispose();
    this.#onDidChange.dispose();
  }

  #loginHandlers(): LoginHandlers {
    if (!this.#logins) throw new ServiceError('logins are handled by the running Gatehouse');
    return this.#logins;
  }

  #connectionHandlers(): ConnectionHandlers {
    if (!this.#connections) throw new ServiceError('client connections are not available here');
    return this.#connections;
  }

  #changes(): PinService {
    if (!this.#pins)
      throw new ServiceError(
        'tool changes are reviewed in the running Gatehouse (`gatehouse serve` or the desktop app)',
      );
    return this.#pins;
  }

  #server(name: string): ServerConfig {
    const server = this.#settings.current.servers.find((s) => s.name === name);
    if (!server) throw new ServiceError(`no server named "${name}"`);
    return server;
  }

  #view(server: ServerConfig): ServerView {
    const live = (this.#gateway?.sessions.all() ?? []).filter(
      (s) => s.info.serverName === server.name,
    ).length;
    const health = this.#gateway?.health(server.name);
    const status = !server.enabled
      ? 'disabled'
      : this.#logins?.needsLogin?.(server.name)
        ? 'needs-login'
        : live > 0
          ? 'connected'
          : health?.failing
            ? 'failing'
            : 'idle';
    return {
      ...server,
      endpoint: `/mcp/${server.name}`,
      status,
      ...(health?.failing && health.error ? { lastError: health.error } : {}),
      liveSessions: live,
    };
  }

  /** Writes settings, then secrets; a refused settings change writes no secret. */
  #update(mutate: (draft: Settings) => void, thenSecrets?: () => void): void {
    try {
      this.#settings.update(mutate);
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      throw new ServiceError((error as Error).message);
    }
    thenSecrets?.();
  }

  #storeHeaders(server: string, headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers))
      this.#secrets.set(serverHeaderKey(server, name), value);
  }
}
