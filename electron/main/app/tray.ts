import { Menu, Tray, nativeImage, type NativeImage, type Rectangle } from 'electron';
import type { Disposable } from '../base/disposable.ts';
import type { Event } from '../base/emitter.ts';
import type { DesktopSnapshot } from './desktop-snapshot.ts';
import { loadTrayIcon } from './tray-icon.ts';
import { buildTrayMenu, trayTooltip, type TrayMenuActions } from './tray-menu.ts';
import { trayState, type TrayState } from './tray-state.ts';

export interface GatehouseTrayOptions {
  /** The current snapshot (DesktopState.current). */
  snapshot(): DesktopSnapshot;
  /** Fires when the snapshot changed (DesktopState.onDidChange). */
  onDidChange: Event<unknown>;
  actions: TrayMenuActions;
  platform: NodeJS.Platform;
  /** The folder holding the tray icon files (tray-icon.ts trayIconDir). */
  iconDir: string;
}

/**
 * The tray icon and its menu. Icon, tooltip and menu are rebuilt from the snapshot whenever it changes:
 * on events, never on a timer (architecture.md convention 9). The constructor throws where the
 * platform cannot make a tray; the caller then opens the window instead (tray-availability.ts).
 */
export class GatehouseTray implements Disposable {
  readonly #tray: Tray;
  readonly #options: GatehouseTrayOptions;
  readonly #subscription: Disposable;
  readonly #icons = new Map<TrayState, NativeImage>();
  #state: TrayState | undefined;

  constructor(options: GatehouseTrayOptions) {
    this.#options = options;
    this.#tray = new Tray(this.#icon('ok'));
    this.#subscription = options.onDidChange(() => this.refresh());
    // Windows and most Linux panels open nothing on a left click unless asked to.
    if (options.platform !== 'darwin') this.#tray.on('click', () => options.actions.openSettings());
    this.refresh();
  }

  #icon(state: TrayState): NativeImage {
    let icon = this.#icons.get(state);
    if (!icon) {
      icon = loadTrayIcon(nativeImage, this.#options.iconDir, state, this.#options.platform);
      this.#icons.set(state, icon);
    }
    return icon;
  }

  /** Rebuilds icon, tooltip and menu from the current snapshot. */
  refresh(): void {
    if (this.#tray.isDestroyed()) return;
    const snapshot = this.#options.snapshot();
    const now = Date.now();
    const state = trayState(snapshot, now);
    if (state !== this.#state) {
      this.#state = state;
      this.#tray.setImage(this.#icon(state));
    }
    this.#tray.setToolTip(trayTooltip(snapshot, now));
    this.#tray.setContextMenu(
      Menu.buildFromTemplate(buildTrayMenu(snapshot, this.#options.actions, { now })),
    );
  }

  /** Where the icon is on screen; undefined where the platform does not say (most Linux panels). */
  bounds(): Rectangle | undefined {
    if (this.#tray.isDestroyed()) return undefined;
    const bounds = this.#tray.getBounds();
    return bounds.width > 0 && bounds.height > 0 ? bounds : undefined;
  }

  dispose(): void {
    this.#subscription.dispose();
    if (!this.#tray.isDestroyed()) this.#tray.destroy();
  }
}
