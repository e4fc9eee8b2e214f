import type { ServerConfig } from '../../../shared/schemas/servers.ts';
import type { Settings } from '../../../shared/schemas/settings.ts';
import type { JsonRpcResponse } from '../base/json-rpc.ts';
import type { Logger } from '../base/logger.ts';
import type { UpstreamSession } from '../gateway/upstream/upstream-session.ts';
import { listAll } from './list-all.ts';
import type { PinService } from './pin-service.ts';

export interface PinWatcherDeps {
  settings: () => Settings;
  pins: PinService;
  openSession: (server: ServerConfig) => Promise<{ upstream: UpstreamSession; response: JsonRpcResponse }>;
  logger: Logger;
}

/**
 * Re-lists every enabled server on a timer (`pinning.relistMinutes`), with Gatehouse's own upstream
 * session and the server's stored credentials, so a definition that changes while no client is
 * connected is still caught and held before the next client sees it.
 */
export class PinWatcher {
  readonly #d: PinWatcherDeps;
  #timer: NodeJS.Timeout | undefined;
  #everyMs = 0;
  #running: Promise<void> | undefined;

  constructor(deps: PinWatcherDeps) {
    this.#d = deps;
  }

  /** (Re)arms the timer from the settings; call again when they change. */
  schedule(): void {
    const everyMs = Math.round(this.#d.settings().pinning.relistMinutes * 60_000);
    if (everyMs === this.#everyMs && (this.#timer || everyMs === 0)) return;
    this.#everyMs = everyMs;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (everyMs <= 0) return;
    this.#timer = setInterval(() => void this.checkAll(), everyMs);
    this.#timer.unref();
  }

  /** Lists every enabled server once (one run at a time). */
  checkAll(): Promise<void> {
    this.#running ??= (async () => {
      for (const server of this.#d.settings().servers.filter((s) => s.enabled)) {
        await this.checkServer(server).catch((error: unknown) => {
          this.#d.logger.info('periodic re-list failed', {
            server: server.name,
            error: (error as Error).message,
          });
        });
      }
    })().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async checkServer(server: ServerConfig): Promise<void> {
    const { upstream, response } = await this.#d.openSession(server);
    try {
      if (!('result' in response)) throw new Error(response.error.message);
      const pins = this.#d.pins;
      const instructions = response.result.instructions;
      pins.observeInstructions(
        server.name,
        typeof instructions === 'string' ? instructions : undefined,
        'periodic',
      );
      const capabilities = (response.result.capabilities ?? {}) as Record<string, unknown>;
      if (capabilities.tools)
        pins.observe(server.name, 'tool', await listAll(upstream, 'tools/list'), true, 'periodic');
      if (capabilities.prompts)
        pins.observe(server.name, 'prompt', await listAll(upstream, 'prompts/list'), true, 'periodic');
      if (capabilities.resources) {
        const templates = await listAll(upstream, 'resources/templates/list').catch(() => undefined);
        if (templates) pins.observe(server.name, 'resource-template', templates, true, 'periodic');
      }
    } finally {
      await upstream.close();
    }
  }

  dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
