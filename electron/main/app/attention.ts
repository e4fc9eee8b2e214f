import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import type { Disposable } from '../base/disposable.ts';
import type { Event } from '../base/emitter.ts';
import type { DesktopStateChange } from './desktop-state.ts';
import { notificationForEvent, notificationsFor, type DesktopNotification } from './notifications.ts';
import { popupAction } from './popup-decision.ts';

/** The popup as the attention wiring drives it. */
export interface PopupControl {
  readonly isOpen: boolean;
  show(options: { focus: boolean }): void;
  close(): void;
}

/**
 * Connects what happens in the core to what gets the person's attention: the approval popup opens
 * (without taking focus) when an approval arrives and closes when none remain; OS notifications
 * announce new approvals, newly held tool changes and logins that need the person.
 */
export function wireAttention(options: {
  onDidChangeState: Event<DesktopStateChange>;
  onServiceEvent: Event<ServiceEvent>;
  popup: PopupControl;
  notify(note: DesktopNotification): void;
}): Disposable {
  const state = options.onDidChangeState(({ before, after }) => {
    const ids = (snapshot: typeof before) => snapshot.approvals.map((approval) => approval.id);
    const action = popupAction(ids(before), ids(after), options.popup.isOpen);
    if (action === 'show') options.popup.show({ focus: false });
    else if (action === 'close') options.popup.close();
    for (const note of notificationsFor(before, after)) options.notify(note);
  });
  const events = options.onServiceEvent((event) => {
    const note = notificationForEvent(event);
    if (note) options.notify(note);
  });
  return {
    dispose() {
      state.dispose();
      events.dispose();
    },
  };
}
