import type { BrowserWindow, Rectangle } from 'electron';
import type { Logger } from '../base/logger.ts';
import { popupPosition, POPUP_SIZE } from './popup-position.ts';
import { loadAppPage, type AppPage } from './settings-window.ts';
import type { SecureWindowOptions } from './secure-window.ts';

export interface PopupWindowOptions {
  createWindow(options: SecureWindowOptions): BrowserWindow;
  /** Absolute path of the popup preload (`out/preload/popup.cjs`). */
  preload: string;
  page: AppPage;
  /** The tray icon's bounds, when the platform tells (not on most Linux panels). */
  trayBounds(): Rectangle | undefined;
  /** The work area of the display the popup goes on (the tray's, else the primary one). */
  workArea(near: Rectangle | undefined): Rectangle;
  logger: Logger;
}

/**
 * The approval popup: a small always-on-top window near the tray showing the renderer's `#/popup`
 * view. At most one; created when an approval arrives and destroyed when none remain or the person
 * closes it (the tray still lists what waits).
 */
export class PopupWindow {
  readonly #options: PopupWindowOptions;
  #window: BrowserWindow | undefined;

  constructor(options: PopupWindowOptions) {
    this.#options = options;
  }

  get isOpen(): boolean {
    return this.#window !== undefined && !this.#window.isDestroyed();
  }

  /**
   * Shows the popup. `focus: false` (an approval that just arrived) shows it without taking the
   * keyboard, so keys typed into another app (Esc denies in the popup) never answer a call by accident;
   * `focus: true` is for the person asking for it (tray menu, notification click).
   */
  show(options: { focus: boolean }): void {
    const existing = this.#window;
    if (existing && !existing.isDestroyed()) {
      if (options.focus) {
        existing.show();
        existing.focus();
      } else if (!existing.isVisible()) {
        existing.showInactive();
      }
      return;
    }
    const trayBounds = this.#options.trayBounds();
    const { x, y } = popupPosition(trayBounds, this.#options.workArea(trayBounds), POPUP_SIZE);
    const window = this.#options.createWindow({
      kind: 'popup',
      preload: this.#options.preload,
      title: 'Gatehouse — approval',
      width: POPUP_SIZE.width,
      height: POPUP_SIZE.height,
      x,
      y,
      alwaysOnTop: true,
      resizable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
    });
    this.#window = window;
    window.once('ready-to-show', () => {
      if (options.focus) window.show();
      else window.showInactive();
    });
    window.once('closed', () => {
      if (this.#window === window) this.#window = undefined;
    });
    loadAppPage(window, this.#options.page, 'popup').catch((error: unknown) => {
      this.#options.logger.error('the approval popup failed to load', { error: String(error) });
    });
  }

  /** Closes (and so destroys) the popup if it is open. */
  close(): void {
    if (this.#window && !this.#window.isDestroyed()) this.#window.close();
  }
}
