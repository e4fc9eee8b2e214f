import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Channel, ServicesHandlers } from '../../../shared/ipc/contract.ts';
import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import type { Disposable } from '../base/disposable.ts';
import type { Event } from '../base/emitter.ts';
import type { Logger } from '../base/logger.ts';
import { ipcChannelFor, SERVICE_EVENT_CHANNEL, serviceChannels, type IpcResult } from './bridge-protocol.ts';
import { checkIpcRequest, type IpcSender, type IpcTrust } from './ipc-validation.ts';
import { isEventAllowed, type WindowKind } from './window-kinds.ts';

/** The part of a webContents the event fan-out uses, with the kind of its window. */
export interface EventTarget {
  kind: WindowKind;
  contents: {
    getURL(): string;
    send(channel: string, ...args: unknown[]): void;
  };
}

export interface IpcBridgeOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  services: ServicesHandlers & { onDidChange: Event<ServiceEvent> };
  trust: IpcTrust;
  /** The live windows' webContents and kinds, for change events. */
  targets(): EventTarget[];
  logger: Logger;
}

/** Reads the sender facts out of an invoke event. */
export function senderOf(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): IpcSender {
  const frame = event.senderFrame;
  return { webContentsId: event.sender.id, frameUrl: frame?.url, isMainFrame: frame?.parent === null };
}

/**
 * Wires every channel of the services contract to `ipcMain.handle`, and forwards service change events
 * to the app's windows on {@link SERVICE_EVENT_CHANNEL}. Each call is checked (sender, the channel
 * against the sender's window kind, then payload)
 * before it reaches the core; failures come back as `{ ok: false, error }`, which the preload turns into
 * a `{ error }` rejection.
 */
export function registerIpcBridge(options: IpcBridgeOptions): Disposable {
  const { ipcMain, services, trust, logger } = options;
  for (const channel of serviceChannels) {
    ipcMain.handle(ipcChannelFor(channel), async (event, ...args: unknown[]): Promise<IpcResult<unknown>> => {
      const sender = senderOf(event);
      // One argument per call (architecture.md convention 2); extra arguments are a malformed request.
      const check =
        args.length > 1
          ? ({ ok: false, reason: 'invalid-payload', error: `${channel} takes one argument` } as const)
          : checkIpcRequest(channel, sender, args[0], trust);
      if (!check.ok) {
        logger.warn('IPC request refused', { channel, reason: check.reason, url: sender.frameUrl });
        return { ok: false, error: check.error };
      }
      try {
        return { ok: true, value: await dispatch(services, channel, check.input) };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    });
  }
  const subscription = services.onDidChange((event) => {
    for (const { kind, contents } of options.targets()) {
      // Only pages of our own receive events, even inside our windows (defence in depth), and each
      // window kind only the events it uses.
      if (trust.isAppUrl(contents.getURL()) && isEventAllowed(kind, event)) {
        contents.send(SERVICE_EVENT_CHANNEL, event);
      }
    }
  });
  return {
    dispose() {
      subscription.dispose();
      for (const channel of serviceChannels) ipcMain.removeHandler(ipcChannelFor(channel));
    },
  };
}

/** Calls the handler of one channel; the input has been validated against that channel's schema. */
function dispatch(services: ServicesHandlers, channel: Channel, input: unknown): Promise<unknown> {
  const handler = services[channel] as (this: ServicesHandlers, input: unknown) => Promise<unknown>;
  return handler.call(services, input);
}
