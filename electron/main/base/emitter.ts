import type { Disposable } from './disposable.ts';

/** A listener registration function, as exposed by services: `onDidChange(listener)`. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/** A typed event source; services expose `emitter.event` and keep `fire` private. */
export class Emitter<T> {
  readonly #listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (error) {
        // A failing listener must not stop the others or the service that fired.
        console.error('gatehouse: event listener failed:', error);
      }
    }
  }

  get hasListeners(): boolean {
    return this.#listeners.size > 0;
  }

  dispose(): void {
    this.#listeners.clear();
  }
}
