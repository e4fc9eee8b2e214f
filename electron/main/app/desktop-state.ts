import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import type { Pause } from '../../../shared/schemas/policy.ts';
import type { Disposable } from '../base/disposable.ts';
import { Emitter, type Event } from '../base/emitter.ts';
import type { Logger } from '../base/logger.ts';
import { EMPTY_SNAPSHOT, readDesktopSnapshot, type DesktopSnapshot } from './desktop-snapshot.ts';
import { nextTrayDeadline } from './tray-state.ts';

type SnapshotServices = Parameters<typeof readDesktopSnapshot>[0];

/** Events after which the tray, popup and notifications must look again. */
const RELEVANT: ReadonlySet<ServiceEvent['type']> = new Set([
  'status-changed',
  'approvals-changed',
  'changes-changed',
  'logins-changed',
  'login-needed',
  'rules-changed',
  'settings-changed',
]);

/** A snapshot change: what was shown before and what is true now. */
export interface DesktopStateChange {
  before: DesktopSnapshot;
  after: DesktopSnapshot;
}

/**
 * The desktop's view of the core: re-reads the {@link DesktopSnapshot} when a relevant service event
 * arrives (never on a timer; the one scheduled wake-up is the end of a timed pause, which raises no
 * event) and tells the tray, the popup and the notifier what changed. Reads never overlap; events
 * during a read cause one more read after it.
 */
export class DesktopState implements Disposable {
  readonly #services: SnapshotServices;
  readonly #pause: () => Pause | undefined;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #onDidChange = new Emitter<DesktopStateChange>();
  readonly #subscription: Disposable;
  #current: DesktopSnapshot = EMPTY_SNAPSHOT;
  #reading: Promise<void> | undefined;
  #again = false;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  /** Fires after every read whose result may differ from the previous one. */
  readonly onDidChange: Event<DesktopStateChange> = this.#onDidChange.event;

  constructor(options: {
    services: SnapshotServices;
    onDidChangeServices: Event<ServiceEvent>;
    pause: () => Pause | undefined;
    logger: Logger;
    now?: () => number;
  }) {
    this.#services = options.services;
    this.#pause = options.pause;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#subscription = options.onDidChangeServices((event) => {
      if (RELEVANT.has(event.type)) void this.refresh();
    });
  }

  get current(): DesktopSnapshot {
    return this.#current;
  }

  /** Reads the snapshot again (coalescing concurrent requests) and resolves when it is current. */
  refresh(): Promise<void> {
    if (this.#reading) {
      this.#again = true;
      return this.#reading;
    }
    this.#reading = this.#read().finally(() => {
      this.#reading = undefined;
      if (this.#again && !this.#disposed) {
        this.#again = false;
        void this.refresh();
      }
    });
    return this.#reading;
  }

  async #read(): Promise<void> {
    let after: DesktopSnapshot;
    try {
      after = await readDesktopSnapshot(this.#services, this.#pause);
    } catch (error) {
      this.#logger.warn('could not read the state for the tray', { error: String(error) });
      return;
    }
    if (this.#disposed) return;
    const before = this.#current;
    this.#current = after;
    this.#schedulePauseEnd(after);
    this.#onDidChange.fire({ before, after });
  }

  #schedulePauseEnd(snapshot: DesktopSnapshot): void {
    if (this.#deadline) clearTimeout(this.#deadline);
    this.#deadline = undefined;
    const now = this.#now();
    const at = nextTrayDeadline(snapshot, now);
    if (at === undefined) return;
    // setTimeout's limit is ~24.8 days; a longer pause is looked at again then.
    const delay = Math.min(at - now + 50, 2 ** 31 - 1);
    this.#deadline = setTimeout(() => void this.refresh(), delay);
    this.#deadline.unref?.();
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#deadline) clearTimeout(this.#deadline);
    this.#subscription.dispose();
    this.#onDidChange.dispose();
  }
}
