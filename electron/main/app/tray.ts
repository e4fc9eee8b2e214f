import { Menu, Tray, nativeImage } from 'electron';
import type { Disposable } from '../base/disposable.ts';
import type { Event } from '../base/emitter.ts';
import { createTrayIcon } from './tray-icon.ts';
import { buildTrayMenu, trayTooltip, type TrayGatewayStatus, type TrayMenuActions } from './tray-menu.ts';

export interface GatehouseTrayOptions {
  /** The current gateway status (`core.gateway.status`). */
  status(): TrayGatewayStatus;
  /** Fires when the gateway status changed (`core.gateway.onDidChangeStatus`). */
  onDidChangeStatus: Event<unknown>;
  actions: TrayMenuActions;
  platform: NodeJS.Platform;
}

/**
 * The tray icon and its menu. The menu is rebuilt from {@link buildTrayMenu} whenever the gateway
 * status changes: on events, never on a timer (architecture.md convention 9).
 */
export class GatehouseTray implements Disposable {
  readonly #tray: Tray;
  readonly #options: GatehouseTrayOptions;
  readonly #subscription: Disposable;

  constructor(options: GatehouseTrayOptions) {
    this.#options = options;
    this.#tray = new Tray(createTrayIcon(nativeImage, options.platform));
    this.#subscription = options.onDidChangeStatus(() => this.refresh());
    // Windows and most Linux panels open nothing on a left click unless asked to.
    if (options.platform !== 'darwin') this.#tray.on('click', () => options.actions.openSettings());
    this.refresh();
  }

  /** Rebuilds the menu and tooltip from the current status. */
  refresh(): void {
    if (this.#tray.isDestroyed()) return;
    const status = this.#options.status();
    this.#tray.setToolTip(trayTooltip(status));
    this.#tray.setContextMenu(Menu.buildFromTemplate(buildTrayMenu(status, this.#options.actions)));
  }

  dispose(): void {
    this.#subscription.dispose();
    if (!this.#tray.isDestroyed()) this.#tray.destroy();
  }
}
