import { isPauseActive } from '../policy/decide.ts';
import type { ApprovalSummary, DesktopSnapshot } from './desktop-snapshot.ts';
import { trayState, type TrayState } from './tray-state.ts';

/** The gateway state the tray shows (the shape of `core.gateway.status`). */
export interface TrayGatewayStatus {
  state: 'stopped' | 'starting' | 'listening' | 'error';
  url?: string;
  error?: string;
}

/** A menu item as plain data; structurally a subset of Electron's MenuItemConstructorOptions. */
export interface TrayMenuItem {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'submenu';
  enabled?: boolean;
  submenu?: TrayMenuItem[];
  click?: () => void;
}

/** Settings pages the tray can open directly (the renderer's hash routes). */
export type SettingsRoute = 'changes' | 'logins';

export interface TrayMenuActions {
  /** Opens the settings window, on a page when given. */
  openSettings(route?: SettingsRoute): void;
  /** Opens the approval popup on this approval. */
  openApproval(id: string): void;
  /** Pauses writes for this many minutes, or until resumed when undefined (`policy.pause`). */
  pause(forMinutes: number | undefined): void;
  resume(): void;
  quit(): void;
}

export interface TrayMenuOptions {
  now: number;
  /** Formats the end of a pause; injectable so tests do not depend on the machine's locale. */
  formatTime?: (iso: string) => string;
}

const MAX_LABEL = 72;
/** Approvals listed by name; the rest are summed up in one item. */
export const MAX_LISTED_APPROVALS = 5;

function shorten(text: string, max = MAX_LABEL): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function localTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The one-line gateway status shown at the top of the menu and in the tooltip. */
export function gatewayStatusLine(status: TrayGatewayStatus): string {
  switch (status.state) {
    case 'listening':
      return `Gateway: ${status.url ?? 'listening'}`;
    case 'starting':
      return 'Gateway: starting…';
    case 'error':
      return shorten(`Gateway error: ${status.error ?? 'unknown error'}`);
    case 'stopped':
      return 'Gateway: stopped';
  }
}

/** How an approval is named in the menu: who wants to call what. */
export function approvalLabel(approval: ApprovalSummary): string {
  // `&` would be read as a mnemonic marker on Windows and Linux menus.
  return shorten(`${approval.client} → ${approval.server}: ${approval.tool}`).replaceAll('&', '&&');
}

function approvalItems(snapshot: DesktopSnapshot, actions: TrayMenuActions): TrayMenuItem[] {
  const { approvals } = snapshot;
  if (approvals.length === 0) return [];
  const listed = approvals.slice(0, MAX_LISTED_APPROVALS);
  const items: TrayMenuItem[] = [
    {
      id: 'approvals-header',
      label: `${plural(approvals.length, 'call waits', 'calls wait')} for your answer`,
      enabled: false,
    },
    ...listed.map((approval) => ({
      id: `approval:${approval.id}`,
      label: approvalLabel(approval),
      click: () => actions.openApproval(approval.id),
    })),
  ];
  const rest = approvals.length - listed.length;
  const first = approvals[0];
  if (rest > 0 && first) {
    items.push({
      id: 'approvals-more',
      label: `…and ${rest} more`,
      click: () => actions.openApproval(first.id),
    });
  }
  return items;
}

function attentionItems(snapshot: DesktopSnapshot, actions: TrayMenuActions): TrayMenuItem[] {
  const items: TrayMenuItem[] = [];
  const held = snapshot.heldChanges.length;
  if (held > 0) {
    items.push({
      id: 'changes',
      label: `Review ${plural(held, 'held tool change', 'held tool changes')}…`,
      click: () => actions.openSettings('changes'),
    });
  }
  const logins = snapshot.loginsNeeded;
  if (logins.length > 0) {
    items.push({
      id: 'logins',
      label: shorten(`Log in again: ${logins.join(', ')}…`),
      click: () => actions.openSettings('logins'),
    });
  }
  return items;
}

function pauseItems(
  snapshot: DesktopSnapshot,
  actions: TrayMenuActions,
  options: TrayMenuOptions,
): TrayMenuItem[] {
  const paused = isPauseActive(snapshot.pause, new Date(options.now)) ? snapshot.pause : undefined;
  const items: TrayMenuItem[] = [];
  if (paused) {
    const formatTime = options.formatTime ?? localTime;
    const mode = paused.mode === 'deny' ? 'denied' : 'ask first';
    const until = paused.until === undefined ? 'until resumed' : `until ${formatTime(paused.until)}`;
    items.push({ id: 'paused', label: `Writes paused (${mode}) ${until}`, enabled: false });
    items.push({ id: 'resume', label: 'Resume writes', click: () => actions.resume() });
  }
  items.push({
    id: 'pause',
    label: paused ? 'Pause writes again' : 'Pause writes',
    type: 'submenu',
    submenu: [
      { id: 'pause:15', label: 'For 15 minutes', click: () => actions.pause(15) },
      { id: 'pause:60', label: 'For 1 hour', click: () => actions.pause(60) },
      { id: 'pause:forever', label: 'Until resumed', click: () => actions.pause(undefined) },
    ],
  });
  return items;
}

/**
 * The tray menu for a snapshot: the gateway status line, the approvals waiting (each opens the popup on
 * it), held changes and logins needed (each opens its settings page), pause / resume writes, "Open
 * Gatehouse" and "Quit". Pure, so it is tested without Electron; the tray rebuilds it on service events
 * (architecture.md convention 9).
 */
export function buildTrayMenu(
  snapshot: DesktopSnapshot,
  actions: TrayMenuActions,
  options: TrayMenuOptions,
): TrayMenuItem[] {
  const separator: TrayMenuItem = { type: 'separator' };
  const sections = [
    [{ id: 'status', label: gatewayStatusLine(snapshot.gateway), enabled: false }],
    approvalItems(snapshot, actions),
    attentionItems(snapshot, actions),
    pauseItems(snapshot, actions, options),
    [{ id: 'open', label: 'Open Gatehouse', click: () => actions.openSettings() }],
    [{ id: 'quit', label: 'Quit Gatehouse', click: () => actions.quit() }],
  ].filter((section) => section.length > 0);
  return sections.flatMap((section, index) => (index === 0 ? section : [{ ...separator }, ...section]));
}

const STATE_WORDS: Record<TrayState, string | undefined> = {
  ok: undefined,
  attention: 'needs your attention',
  paused: 'writes paused',
  error: undefined,
};

/** The tray icon's tooltip: the status line, and what needs the person. */
export function trayTooltip(snapshot: DesktopSnapshot, now: number): string {
  const words = STATE_WORDS[trayState(snapshot, now)];
  return `Gatehouse — ${gatewayStatusLine(snapshot.gateway)}${words ? ` (${words})` : ''}`;
}
