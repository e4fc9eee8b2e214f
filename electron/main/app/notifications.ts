import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import type { DesktopSnapshot } from './desktop-snapshot.ts';
import { approvalLabel } from './tray-menu.ts';

/** Where clicking a notification leads. */
export type NotificationTarget =
  { kind: 'approval'; id: string } | { kind: 'settings'; route: 'changes' | 'logins' };

/** One OS notification to show: plain text only. */
export interface DesktopNotification {
  /** Replaces an earlier notification with the same tag where the OS supports it. */
  tag: string;
  title: string;
  body: string;
  target: NotificationTarget;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * The notifications a new snapshot calls for, compared with the previous one: new approvals (one
 * notification, naming the first), newly held tool changes. Nothing for what was already pending, so
 * a refresh never repeats a notification. Pure, so it is tested without Electron.
 */
export function notificationsFor(before: DesktopSnapshot, after: DesktopSnapshot): DesktopNotification[] {
  const notes: DesktopNotification[] = [];
  const knownApprovals = new Set(before.approvals.map((approval) => approval.id));
  const arrived = after.approvals.filter((approval) => !knownApprovals.has(approval.id));
  const first = arrived[0];
  if (first) {
    notes.push({
      tag: 'approvals',
      title:
        arrived.length === 1
          ? 'A tool call waits for your answer'
          : `${arrived.length} tool calls wait for your answer`,
      body: approvalLabel(first).replaceAll('&&', '&'),
      target: { kind: 'approval', id: first.id },
    });
  }
  const knownChanges = new Set(before.heldChanges);
  const newlyHeld = after.heldChanges.filter((id) => !knownChanges.has(id)).length;
  if (newlyHeld > 0) {
    notes.push({
      tag: 'changes',
      title: `${plural(newlyHeld, 'tool change is', 'tool changes are')} held for review`,
      body: 'A server changed what it tells the model. The tool stays hidden until you review it.',
      target: { kind: 'settings', route: 'changes' },
    });
  }
  return notes;
}

/** The notification for a service event that carries its own news (a login that ended), if any. */
export function notificationForEvent(event: ServiceEvent): DesktopNotification | undefined {
  if (event.type !== 'login-needed') return undefined;
  return {
    tag: `login:${event.server}`,
    title: `Log in to ${event.server} again`,
    body: event.reason,
    target: { kind: 'settings', route: 'logins' },
  };
}
