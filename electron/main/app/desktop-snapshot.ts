import type { ServicesHandlers } from '../../../shared/ipc/contract.ts';
import type { Pause } from '../../../shared/schemas/policy.ts';
import type { TrayGatewayStatus } from './tray-menu.ts';

/** A pending approval as the tray and notifications name it (never its arguments). */
export interface ApprovalSummary {
  id: string;
  client: string;
  server: string;
  tool: string;
}

/** Everything the tray, the popup and the notifications show, read from the services in one go. */
export interface DesktopSnapshot {
  gateway: TrayGatewayStatus;
  approvals: ApprovalSummary[];
  /** Ids of tool changes held until reviewed. */
  heldChanges: string[];
  /** Servers whose login ended and needs the person. */
  loginsNeeded: string[];
  /** Present while writes are paused. */
  pause?: Pause | undefined;
}

export const EMPTY_SNAPSHOT: DesktopSnapshot = Object.freeze<DesktopSnapshot>({
  gateway: { state: 'starting' },
  approvals: [],
  heldChanges: [],
  loginsNeeded: [],
});

type SnapshotServices = Pick<
  ServicesHandlers,
  'status.get' | 'approvals.list' | 'changes.list' | 'logins.list'
>;

/** Runs one read; a part that is not available (no logins attached yet) reads as empty. */
async function orEmpty<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch {
    return [];
  }
}

/**
 * Reads a {@link DesktopSnapshot} through the services contract (the same reads every UI makes), plus
 * the pause, which lives in the settings. The shell calls it when a service event arrives, never on a
 * timer (architecture.md convention 9).
 */
export async function readDesktopSnapshot(
  services: SnapshotServices,
  pause: () => Pause | undefined,
): Promise<DesktopSnapshot> {
  const [status, approvals, changes, logins] = await Promise.all([
    services['status.get'](undefined),
    orEmpty(() => services['approvals.list'](undefined)),
    orEmpty(() => services['changes.list']({ status: 'pending' })),
    orEmpty(() => services['logins.list'](undefined)),
  ]);
  return {
    gateway: {
      state: status.state,
      ...(status.url !== undefined ? { url: status.url } : {}),
      ...(status.error !== undefined ? { error: status.error } : {}),
    },
    approvals: approvals.map(({ id, client, server, tool }) => ({ id, client, server, tool })),
    heldChanges: changes.map((change) => change.id),
    loginsNeeded: logins.filter((login) => login.state === 'needs-login').map((login) => login.server),
    pause: pause(),
  };
}
