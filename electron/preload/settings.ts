/**
 * The settings window's preload. Built as CommonJS (out/preload/settings.cjs) so the window keeps
 * `sandbox: true`. It exposes one object, `window.gatehouse`, made of named functions only: one per
 * services channel (`gatehouse.call['servers.list']()`) and `onEvent`. Never `ipcRenderer`, a generic
 * `invoke(channel)`, or `process` (architecture.md convention 4; Electron security checklist §20).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Channel } from '../../shared/ipc/contract.ts';
import type { ServiceEvent } from '../../shared/ipc/events.ts';
import {
  ipcChannelFor,
  isServiceChannel,
  SERVICE_EVENT_CHANNEL,
  serviceChannels,
  type GatehouseBridge,
  type IpcResult,
  type ServiceCalls,
  type ServiceFailure,
} from '../main/ipc/bridge-protocol.ts';

function failure(error: string): ServiceFailure {
  return { error };
}

async function callService(channel: Channel, input: unknown): Promise<unknown> {
  // Why: the renderer never names an IPC channel; only contract keys reach ipcRenderer.
  if (!isServiceChannel(channel)) {
    // A plain `{ error }` object: contextBridge would strip anything but the message from an Error.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw failure(`unknown services channel`);
  }
  const result = (await ipcRenderer.invoke(ipcChannelFor(channel), input)) as IpcResult<unknown>;
  if (result.ok) return result.value;
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw failure(result.error);
}

const call = Object.freeze(
  Object.fromEntries(
    serviceChannels.map((channel) => [channel, (input?: unknown) => callService(channel, input)]),
  ),
) as unknown as ServiceCalls;

const bridge: GatehouseBridge = {
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

contextBridge.exposeInMainWorld('gatehouse', bridge);
