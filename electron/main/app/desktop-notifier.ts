import { Notification } from 'electron';
import type { Logger } from '../base/logger.ts';
import type { DesktopNotification, NotificationTarget } from './notifications.ts';

/**
 * Shows OS notifications (Notification Center, the Windows action center, libnotify) and routes a
 * click to the right place. Windows needs the app user model id set (index.ts) for them to appear.
 * Live notifications are kept referenced so their click handlers survive garbage collection.
 */
export class DesktopNotifier {
  readonly #open: (target: NotificationTarget) => void;
  readonly #logger: Logger;
  readonly #live = new Map<string, Notification>();

  constructor(options: { open: (target: NotificationTarget) => void; logger: Logger }) {
    this.#open = options.open;
    this.#logger = options.logger;
  }

  show(note: DesktopNotification): void {
    if (!Notification.isSupported()) {
      this.#logger.info('notifications are not supported here', { title: note.title });
      return;
    }
    this.#live.get(note.tag)?.close();
    const notification = new Notification({ title: note.title, body: note.body, silent: false });
    this.#live.set(note.tag, notification);
    const forget = () => {
      if (this.#live.get(note.tag) === notification) this.#live.delete(note.tag);
    };
    notification.on('click', () => {
      forget();
      this.#open(note.target);
    });
    notification.on('close', forget);
    notification.on('failed', (_event, error) => {
      forget();
      this.#logger.warn('a notification could not be shown', { error });
    });
    notification.show();
  }

  dispose(): void {
    for (const notification of this.#live.values()) notification.close();
    this.#live.clear();
  }
}
