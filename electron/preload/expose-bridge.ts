/**
 * Builds the `window.gatehouse` object a preload exposes: named functions only, one per services
 * channel the window kind may use, plus `onEvent`. Never `ipcRenderer`, a generic `invoke(channel)`,
 * or `process` (architecture.md convention 4; Electron security checklist §20).
 */
import { ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Channel } from '../../shared/ipc/contract.ts';
import type { ServiceEvent } from '../../shared/ipc/events.ts';
import {
  ipcChannelFor,
  SERVICE_EVENT_CHANNEL,
  type GatehouseBridge,
  type IpcResult,
  type ServiceCalls,
  type ServiceFailure,
} from '../main/ipc/bridge-protocol.ts';

function failure(error: string): ServiceFailure {
  return { error };
}

/** Invokes an IPC channel and unwraps the `{ ok, value | error }` answer into a value or a rejection. */
export async function invokeChecked(ipcChannel: string, input: unknown): Promise<unknown> {
  const result = (await ipcRenderer.invoke(ipcChannel, input)) as IpcResult<unknown>;
  if (result.ok) return result.value;
  // A plain `{ error }` object: contextBridge would strip anything but the message from an Error.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw failure(result.error);
}

/**
 * The bridge for a window kind with these channels. Why a fixed list: the renderer never names an IPC
 * channel, and a window has no function at all for a channel it may not use (main refuses it too).
 */
export function createBridge(channels: readonly Channel[]): GatehouseBridge {
  const call = Object.freeze(
    Object.fromEntries(
      channels.map((channel) => [channel, (input?: unknown) => invokeChecked(ipcChannelFor(channel), input)]),
    ),
  ) as unknown as ServiceCalls;
  return {
    call,
    onEvent(listener) {
      if (typeof listener !== 'function') throw new TypeError('onEvent needs a listener function');
      // Why: only the event's payload crosses over; the IpcRendererEvent carries `sender` (ipcRenderer).
      const handler = (_event: IpcRendererEvent, payload: ServiceEvent) => listener(payload);
      ipcRenderer.on(SERVICE_EVENT_CHANNEL, handler);
      return () => {
        ipcRenderer.removeListener(SERVICE_EVENT_CHANNEL, handler);
      };
    },
  };
}
