import type { BrowserWindow } from 'electron';
import type { Logger } from '../base/logger.ts';
import type { SecureWindowOptions } from './secure-window.ts';

/** Where a page is loaded from: a built file, or the dev server in development. */
export type AppPage = { kind: 'file'; path: string } | { kind: 'url'; url: string };

export interface SettingsWindowOptions {
  createWindow(options: SecureWindowOptions): BrowserWindow;
  /** Absolute path of the settings preload (`out/preload/settings.cjs`). */
  preload: string;
  page: AppPage;
  logger: Logger;
}

/**
 * The settings window: at most one, created on demand and destroyed when closed (nothing keeps
 * running in a hidden renderer; the tray app lives in the main process).
 */
export class SettingsWindow {
  readonly #options: SettingsWindowOptions;
  #window: BrowserWindow | undefined;

  constructor(options: SettingsWindowOptions) {
    this.#options = options;
  }

  /** Shows the window, creating it if needed. */
  open(): void {
    const existing = this.#window;
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return;
    }
    const window = this.#options.createWindow({
      preload: this.#options.preload,
      title: 'Gatehouse',
      width: 960,
      height: 680,
      minWidth: 640,
      minHeight: 420,
    });
    this.#window = window;
    window.once('ready-to-show', () => window.show());
    window.once('closed', () => {
      if (this.#window === window) this.#window = undefined;
    });
    const { page } = this.#options;
    const loading = page.kind === 'file' ? window.loadFile(page.path) : window.loadURL(page.url);
    loading.catch((error: unknown) => {
      this.#options.logger.error('the settings page failed to load', { error: String(error) });
    });
  }

  /** Closes (and so destroys) the window if it is open. */
  close(): void {
    if (this.#window && !this.#window.isDestroyed()) this.#window.close();
  }
}
