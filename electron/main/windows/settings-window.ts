import type { BrowserWindow } from 'electron';
import type { Disposable } from '../base/disposable.ts';
import { Emitter, type Event } from '../base/emitter.ts';
import type { Logger } from '../base/logger.ts';
import type { SecureWindowOptions } from './secure-window.ts';

/** Where a page is loaded from: a built file, or the dev server in development. */
export type AppPage = { kind: 'file'; path: string } | { kind: 'url'; url: string };

/** The renderer's hash route for a view, e.g. `changes` → `#/changes`. */
export function routeHash(route: string | undefined): string {
  return route ? `/${route.replace(/^[#/]+/, '')}` : '/';
}

/** Loads one of the app's pages in a window, on a hash route (`#/popup`, `#/changes`). */
export function loadAppPage(window: BrowserWindow, page: AppPage, route?: string): Promise<void> {
  const hash = routeHash(route);
  if (page.kind === 'file') return window.loadFile(page.path, { hash });
  const url = new URL(page.url);
  url.hash = hash;
  return window.loadURL(url.href);
}

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
export class SettingsWindow implements Disposable {
  readonly #options: SettingsWindowOptions;
  readonly #onDidClose = new Emitter<void>();
  #window: BrowserWindow | undefined;

  /** Fires when the window was closed (by the person or by {@link close}). */
  readonly onDidClose: Event<void> = this.#onDidClose.event;

  constructor(options: SettingsWindowOptions) {
    this.#options = options;
  }

  get isOpen(): boolean {
    return this.#window !== undefined && !this.#window.isDestroyed();
  }

  /** Shows the window, creating it if needed; with a route, on that page (`changes`, `logins`). */
  open(route?: string): void {
    const existing = this.#window;
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      if (route) this.#load(existing, route);
      existing.show();
      existing.focus();
      return;
    }
    const window = this.#options.createWindow({
      kind: 'settings',
      preload: this.#options.preload,
      title: 'Gatehouse',
      width: 1024,
      height: 700,
      minWidth: 640,
      minHeight: 420,
    });
    this.#window = window;
    window.once('ready-to-show', () => window.show());
    window.once('closed', () => {
      if (this.#window === window) this.#window = undefined;
      this.#onDidClose.fire();
    });
    this.#load(window, route);
  }

  #load(window: BrowserWindow, route: string | undefined): void {
    loadAppPage(window, this.#options.page, route).catch((error: unknown) => {
      this.#options.logger.error('the settings page failed to load', { error: String(error) });
    });
  }

  /** Closes (and so destroys) the window if it is open. */
  close(): void {
    if (this.#window && !this.#window.isDestroyed()) this.#window.close();
  }

  dispose(): void {
    this.close();
    this.#onDidClose.dispose();
  }
}
