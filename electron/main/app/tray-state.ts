import { isPauseActive } from '../policy/decide.ts';
import type { DesktopSnapshot } from './desktop-snapshot.ts';

/** The four looks of the tray icon. */
export type TrayState = 'ok' | 'attention' | 'paused' | 'error';
export const TRAY_STATES: readonly TrayState[] = Object.freeze(['ok', 'attention', 'paused', 'error']);

/**
 * The tray icon's state for a snapshot, most urgent first: `error` (the gateway is not serving),
 * `attention` (an approval waits, a tool change is held, a login is needed: the person has to act),
 * `paused` (writes are paused), else `ok`. Pure, so it is tested without Electron.
 */
export function trayState(snapshot: DesktopSnapshot, now: number): TrayState {
  if (snapshot.gateway.state === 'error') return 'error';
  if (snapshot.approvals.length > 0 || snapshot.heldChanges.length > 0 || snapshot.loginsNeeded.length > 0) {
    return 'attention';
  }
  if (isPauseActive(snapshot.pause, new Date(now))) return 'paused';
  return 'ok';
}

/** When the tray must look again without an event: the moment a timed pause ends, if any. */
export function nextTrayDeadline(snapshot: DesktopSnapshot, now: number): number | undefined {
  const until = snapshot.pause?.until;
  if (until === undefined) return undefined;
  const end = Date.parse(until);
  return end > now ? end : undefined;
}
