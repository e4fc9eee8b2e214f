import type { ChannelInput } from '../../../shared/ipc/contract.ts';
import type { Settings } from '../../../shared/schemas/settings.ts';
import { scopeServer } from '../pinning/pin-scope.ts';
import type { PinService } from '../pinning/pin-service.ts';
import { ServiceError } from './service-error.ts';

/** Accepts one change, or every pending change of a server (with each capability profile, "name [sampling]"). */
export function acceptChanges(
  pins: PinService,
  settings: Settings,
  input: ChannelInput<'changes.accept'>,
): number {
  if ('server' in input && !settings.servers.some((s) => s.name === input.server)) {
    throw new ServiceError(`no server named "${input.server}"`);
  }
  const ids =
    'id' in input
      ? [input.id]
      : pins
          .pending()
          .filter((c) => scopeServer(c.server) === input.server)
          .map((c) => c.id);
  for (const id of ids) reviewed(() => pins.accept(id));
  return ids.length;
}

export function rejectChange(pins: PinService, id: string): void {
  reviewed(() => pins.reject(id));
}

/** Review errors (unknown id, not pending) are the person's to read. */
function reviewed(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    throw new ServiceError((error as Error).message);
  }
}
