import type { BrowserWindow, WebContents } from 'electron';
import { Emitter, type Event } from '../base/emitter.ts';

/**
 * The windows Gatehouse created, so IPC can tell its own senders from anything else and events go only
 * to them. Windows leave the registry when they close.
 */
export class WindowRegistry {
  readonly #windows = new Map<number, BrowserWindow>();
  readonly #onDidChangeCount = new Emitter<number>();

  /** Fires with the number of open windows after one opened or closed (dock visibility). */
  readonly onDidChangeCount: Event<number> = this.#onDidChangeCount.event;

  add(window: BrowserWindow): void {
    // Captured now: `window.webContents` throws once the window is destroyed.
    const id = window.webContents.id;
    this.#windows.set(id, window);
    window.once('closed', () => {
      this.#windows.delete(id);
      this.#onDidChangeCount.fire(this.#windows.size);
    });
    this.#onDidChangeCount.fire(this.#windows.size);
  }

  /** True if the webContents belongs to a live window we created. */
  has(webContentsId: number): boolean {
    const window = this.#windows.get(webContentsId);
    return window !== undefined && !window.isDestroyed();
  }

  /** The webContents of every live window. */
  contents(): WebContents[] {
    return [...this.#windows.values()].filter((w) => !w.isDestroyed()).map((w) => w.webContents);
  }

  get size(): number {
    return this.#windows.size;
  }

  dispose(): void {
    this.#onDidChangeCount.dispose();
  }
}
