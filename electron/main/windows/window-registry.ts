import type { BrowserWindow, WebContents } from 'electron';
import { Emitter, type Event } from '../base/emitter.ts';
import type { WindowKind } from '../ipc/window-kinds.ts';

/**
 * The windows Gatehouse created and their kinds, so IPC can tell its own senders from anything else
 * (and what each may call) and events go only to them. Windows leave the registry when they close.
 */
export class WindowRegistry {
  readonly #windows = new Map<number, { window: BrowserWindow; kind: WindowKind }>();
  readonly #onDidChangeCount = new Emitter<number>();

  /** Fires with the number of open windows after one opened or closed (dock visibility). */
  readonly onDidChangeCount: Event<number> = this.#onDidChangeCount.event;

  add(window: BrowserWindow, kind: WindowKind): void {
    // Captured now: `window.webContents` throws once the window is destroyed.
    const id = window.webContents.id;
    this.#windows.set(id, { window, kind });
    window.once('closed', () => {
      this.#windows.delete(id);
      this.#onDidChangeCount.fire(this.#windows.size);
    });
    this.#onDidChangeCount.fire(this.#windows.size);
  }

  /** The kind of a live window we created, or undefined for any other webContents. */
  kindOf(webContentsId: number): WindowKind | undefined {
    const entry = this.#windows.get(webContentsId);
    return entry && !entry.window.isDestroyed() ? entry.kind : undefined;
  }

  /** True if the webContents belongs to a live window we created. */
  has(webContentsId: number): boolean {
    return this.kindOf(webContentsId) !== undefined;
  }

  /** The webContents of every live window, with its kind. */
  targets(): { kind: WindowKind; contents: WebContents }[] {
    return [...this.#windows.values()]
      .filter(({ window }) => !window.isDestroyed())
      .map(({ window, kind }) => ({ kind, contents: window.webContents }));
  }

  /** How many live windows of a kind are open. */
  countOf(kind: WindowKind): number {
    return [...this.#windows.values()].filter((entry) => entry.kind === kind && !entry.window.isDestroyed())
      .length;
  }

  get size(): number {
    return this.#windows.size;
  }

  dispose(): void {
    this.#onDidChangeCount.dispose();
  }
}
