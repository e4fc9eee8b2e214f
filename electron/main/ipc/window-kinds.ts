/**
 * Which services each kind of window may use. Runtime-neutral (no electron, no node): the main
 * process enforces it on every call and event, and each window kind's preload exposes only its own list.
 */
import type { Channel } from '../../../shared/ipc/contract.ts';
import type { ServiceEvent } from '../../../shared/ipc/events.ts';

/** The kinds of window Gatehouse opens, each with its own preload. */
export type WindowKind = 'settings' | 'popup';

/** What the approval popup needs: the approvals, the gateway status, and the theme. */
export const POPUP_CHANNELS = Object.freeze([
  'approvals.list',
  'approvals.answer',
  'status.get',
  'settings.get',
] as const satisfies readonly Channel[]);

/** The events the popup gets (it refetches on them); the settings window gets every event. */
const POPUP_EVENTS: ReadonlySet<ServiceEvent['type']> = new Set([
  'approvals-changed',
  'status-changed',
  'settings-changed',
]);

/** True if a window of this kind may call this channel. */
export function isChannelAllowed(kind: WindowKind, channel: Channel): boolean {
  switch (kind) {
    case 'settings':
      return true;
    case 'popup':
      return (POPUP_CHANNELS as readonly Channel[]).includes(channel);
  }
}

/** True if a window of this kind receives this service event. */
export function isEventAllowed(kind: WindowKind, event: ServiceEvent): boolean {
  return kind === 'settings' || POPUP_EVENTS.has(event.type);
}

/** App actions outside the services contract, by window kind (main enforces; preloads expose). */
export const APP_ACTIONS = Object.freeze({ openExternal: ['settings'] as readonly WindowKind[] });
