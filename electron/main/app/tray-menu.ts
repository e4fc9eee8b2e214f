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
  type?: 'normal' | 'separator';
  enabled?: boolean;
  click?: () => void;
}

export interface TrayMenuActions {
  openSettings(): void;
  quit(): void;
}

const MAX_LABEL = 72;

function shorten(text: string, max = MAX_LABEL): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
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

/**
 * The tray menu for a gateway status: a status line, "Open Gatehouse", "Quit". Pure, so it is tested
 * without Electron; the tray rebuilds it on status events (architecture.md convention 9).
 */
export function buildTrayMenu(status: TrayGatewayStatus, actions: TrayMenuActions): TrayMenuItem[] {
  return [
    { id: 'status', label: gatewayStatusLine(status), enabled: false },
    { type: 'separator' },
    { id: 'open', label: 'Open Gatehouse', click: () => actions.openSettings() },
    { type: 'separator' },
    { id: 'quit', label: 'Quit Gatehouse', click: () => actions.quit() },
  ];
}

/** The tray icon's tooltip. */
export function trayTooltip(status: TrayGatewayStatus): string {
  return `Gatehouse — ${gatewayStatusLine(status)}`;
}
