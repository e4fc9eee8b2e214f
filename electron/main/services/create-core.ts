import type { Logger } from '../base/logger.ts';
import { Gateway } from '../gateway/gateway-server.ts';
import { ensurePrivateDir } from '../store/fs-utils.ts';
import { FileSecretStore, type SecretStore } from '../store/secret-store.ts';
import { SettingsStore, type SettingsStoreOptions } from '../store/settings-store.ts';
import { GatewayServices } from './gateway-services.ts';

export interface CoreOptions {
  dataDir: string;
  logger: Logger;
  /** Electron passes a safeStorage-backed store; headless gets the owner-only file. */
  secrets?: SecretStore;
  createConf?: SettingsStoreOptions['createConf'];
  /** Overrides the configured port (`--port`). */
  port?: number;
}

/** The whole core graph, built by one composition root (architecture.md convention 8). */
export interface Core {
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly gateway: Gateway;
  readonly services: GatewayServices;
  start(): Promise<{ port: number; url: string }>;
  /** Graceful shutdown: sessions closed, upstream sessions deleted, stores flushed. */
  stop(): Promise<void>;
}

/** Builds the core for a serving host (desktop or headless). */
export function createCore(options: CoreOptions): Core {
  ensurePrivateDir(options.dataDir);
  const settings = new SettingsStore({
    dataDir: options.dataDir,
    logger: options.logger.child('settings'),
    watch: true,
    onCorrupt: 'keep-aside',
    ...(options.createConf ? { createConf: options.createConf } : {}),
  });
  const secrets = options.secrets ?? new FileSecretStore(options.dataDir);
  const gateway = new Gateway({
    settings,
    secrets,
    logger: options.logger,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  const services = new GatewayServices({ settings, secrets, gateway, dataDir: options.dataDir });
  let stopped = false;
  return {
    dataDir: options.dataDir,
    settings,
    secrets,
    gateway,
    services,
    start: () => gateway.start(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await gateway.stop();
      services.dispose();
      gateway.dispose();
      settings.dispose();
    },
  };
}

/** The services without a gateway, for one-shot command-line changes to the stores. */
export function createOfflineServices(options: { dataDir: string; logger: Logger; secrets?: SecretStore }): {
  services: GatewayServices;
  settings: SettingsStore;
  dispose(): void;
} {
  ensurePrivateDir(options.dataDir);
  const settings = new SettingsStore({ dataDir: options.dataDir, logger: options.logger, onCorrupt: 'fail' });
  const secrets = options.secrets ?? new FileSecretStore(options.dataDir);
  const services = new GatewayServices({ settings, secrets, dataDir: options.dataDir });
  return {
    services,
    settings,
    dispose() {
      services.dispose();
      settings.dispose();
    },
  };
}
