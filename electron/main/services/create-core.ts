import path from 'node:path';
import { AuditLog } from '../audit/audit-log.ts';
import type { Logger } from '../base/logger.ts';
import { Gateway } from '../gateway/gateway-server.ts';
import { ApprovalQueue } from '../policy/approval-queue.ts';
import { Governor } from '../policy/governor.ts';
import { ToolCatalog } from '../policy/tool-catalog.ts';
import { PinService } from '../pinning/pin-service.ts';
import { PinStore } from '../pinning/pin-store.ts';
import { PinWatcher } from '../pinning/pin-watcher.ts';
import { ensurePrivateDir } from '../store/fs-utils.ts';
import { FileSecretStore, type SecretStore } from '../store/secret-store.ts';
import { SettingsStore, type SettingsStoreOptions } from '../store/settings-store.ts';
import { auditChanges } from './audit-changes.ts';
import { GatewayServices } from './gateway-services.ts';
import { ConnectionService } from '../connections/connection-service.ts';
import { OAuthCallbackRoute } from '../oauth/callback-route.ts';
import { LoginManager } from '../oauth/login-manager.ts';
import { callbackUri, loginHandlers, upstreamAuthFor } from '../oauth/login-service.ts';

export interface CoreOptions {
  dataDir: string;
  logger: Logger;
  /** Electron passes a safeStorage-backed store; headless gets the owner-only file. */
  secrets?: SecretStore;
  createConf?: SettingsStoreOptions['createConf'];
  /** Overrides the configured port (`--port`). */
  port?: number;
  /** How often a held call tells its client it is still waiting (tests shorten it). */
  approvalProgressMs?: number;
  /**
   * false: relay only, with no policy decision and no audit write per call. Only for measuring what
   * governance costs (`npm run bench`); no command or setting turns it off.
   */
  governance?: boolean;
  /** First retry delay for servers left out of an aggregated `/mcp` session (tests shorten it). */
  aggregateRetryMs?: number;
  /** Opens the browser for logins Gatehouse starts itself (a step-up); Electron passes shell.openExternal. */
  openBrowser?: (url: string) => void;
}

/** The whole core graph, built by one composition root (architecture.md convention 8). */
export interface Core {
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly gateway: Gateway;
  readonly audit: AuditLog;
  readonly approvals: ApprovalQueue;
  readonly pins: PinService;
  /** The periodic re-list of every enabled server (tests run it at once with `checkAll`). */
  readonly watcher: PinWatcher;
  readonly services: GatewayServices;
  /** OAuth logins to remote servers. */
  readonly logins: LoginManager;
  start(): Promise<{ port: number; url: string }>;
  /** Graceful shutdown: held calls denied and recorded, sessions closed, upstream sessions deleted, stores flushed. */
  stop(): Promise<void>;
}

/** The audit log's file in a data folder. */
export function auditFile(dataDir: string): string {
  return path.join(dataDir, 'audit.sqlite');
}

/** Builds the core for a serving host (desktop or headless). */
export function createCore(options: CoreOptions): Core {
  ensurePrivateDir(options.dataDir);
  const logger = options.logger;
  const settings = new SettingsStore({
    dataDir: options.dataDir,
    logger: logger.child('settings'),
    watch: true,
    onCorrupt: 'keep-aside',
    ...(options.createConf ? { createConf: options.createConf } : {}),
  });
  const secrets = options.secrets ?? new FileSecretStore(options.dataDir);
  const audit = AuditLog.open({
    file: auditFile(options.dataDir),
    durable: settings.current.audit.durable,
    logger: logger.child('audit'),
  });
  const approvals = new ApprovalQueue();
  const pinStore = PinStore.open(path.join(options.dataDir, 'pins.sqlite'));
  const pins = new PinService({
    store: pinStore,
    settings: () => settings.current,
    logger: logger.child('pins'),
  });
  const governor = new Governor({
    settings: () => settings.current,
    updateSettings: (mutate) => settings.update(mutate),
    audit,
    approvals,
    catalog: new ToolCatalog(),
    trusted: (server) => settings.current.servers.find((s) => s.name === server)?.trusted ?? false,
    pins,
    logger: logger.child('policy'),
    ...(options.approvalProgressMs ? { progressEveryMs: options.approvalProgressMs } : {}),
  });
  const logins: LoginManager = new LoginManager({
    settings: () => settings.current,
    secrets,
    logger: logger.child('oauth'),
    redirectUri: () => callbackUri(gateway.status.port),
    fire: (event) => services.fire(event),
    ...(options.openBrowser ? { openBrowser: options.openBrowser } : {}),
  });
  const gateway: Gateway = new Gateway({
    settings,
    secrets,
    logger,
    upstreamAuth: (server) =>
      upstreamAuthFor(logins, server, () => settings.current.upstream.timeoutSeconds * 1000),
    ...(options.governance === false ? {} : { governor }),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.aggregateRetryMs !== undefined ? { aggregateRetryMs: options.aggregateRetryMs } : {}),
  });
  const services = new GatewayServices({
    settings,
    secrets,
    gateway,
    dataDir: options.dataDir,
    approvals,
    audit,
    pins,
  });
  gateway.addRoute(new OAuthCallbackRoute(logins));
  attachParts(services, {
    logins,
    settings,
    secrets,
    dataDir: options.dataDir,
    port: () => gateway.status.port ?? settings.current.gateway.port,
  });
  const changes = auditChanges({ settings, gateway, audit, governor, pins, logger });
  const watcher = new PinWatcher({
    settings: () => settings.current,
    pins,
    openSession: (server) => gateway.openOwnSession(server),
    logger: logger.child('watch'),
  });
  const rescheduleWatch = settings.onDidChange(() => watcher.schedule());
  let stopped = false;
  return {
    dataDir: options.dataDir,
    settings,
    secrets,
    gateway,
    audit,
    approvals,
    pins,
    watcher,
    services,
    logins,
    async start() {
      const pruned = audit.prune(settings.current.audit.retentionDays);
      if (pruned > 0) logger.info('pruned old audit records', { pruned });
      const started = await gateway.start();
      watcher.schedule();
      return started;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // Held calls are denied (and recorded) before their sessions go away.
      approvals.withdraw(() => true, 'Gatehouse is shutting down');
      watcher.dispose();
      rescheduleWatch.dispose();
      logins.dispose();
      await gateway.stop();
      changes.dispose();
      services.dispose();
      gateway.dispose();
      approvals.dispose();
      await audit.close();
      pins.dispose();
      pinStore.close();
      settings.dispose();
    },
  };
}

/** The services without a gateway, for one-shot command-line changes to the stores. */
export function createOfflineServices(options: {
  dataDir: string;
  logger: Logger;
  secrets?: SecretStore;
  /** Also open the pin store, for reviewing tool changes while Gatehouse is not running. */
  pins?: boolean;
}): {
  services: GatewayServices;
  settings: SettingsStore;
  dispose(): void;
} {
  ensurePrivateDir(options.dataDir);
  const settings = new SettingsStore({ dataDir: options.dataDir, logger: options.logger, onCorrupt: 'fail' });
  const secrets = options.secrets ?? new FileSecretStore(options.dataDir);
  const pinStore = options.pins ? PinStore.open(path.join(options.dataDir, 'pins.sqlite')) : undefined;
  const pins = pinStore
    ? new PinService({ store: pinStore, settings: () => settings.current, logger: options.logger })
    : undefined;
  const services = new GatewayServices({
    settings,
    secrets,
    dataDir: options.dataDir,
    ...(pins ? { pins } : {}),
  });
  // Offline: login states and logout work; a login itself needs a callback listener (login-commands.ts).
  const logins = new LoginManager({
    settings: () => settings.current,
    secrets,
    logger: options.logger,
    redirectUri: () => undefined,
  });
  attachParts(services, {
    logins,
    settings,
    secrets,
    dataDir: options.dataDir,
    port: () => settings.current.gateway.port,
  });
  return {
    services,
    settings,
    dispose() {
      logins.dispose();
      services.dispose();
      pins?.dispose();
      pinStore?.close();
      settings.dispose();
    },
  };
}

/** Logins and client connections, attached to the services the same way in a serving and a one-shot core. */
function attachParts(
  services: GatewayServices,
  parts: {
    logins: LoginManager;
    settings: SettingsStore;
    secrets: SecretStore;
    dataDir: string;
    port: () => number;
  },
): void {
  services.setLogins(loginHandlers(parts.logins));
  services.setConnections(
    new ConnectionService({
      services,
      settings: () => parts.settings.current,
      secrets: parts.secrets,
      dataDir: parts.dataDir,
      port: parts.port,
    }),
  );
}
