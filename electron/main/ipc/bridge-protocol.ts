/**
 * The wire protocol between the main process and the preload, in one place for both sides. This file
 * is runtime-neutral (no electron, no node): the preload project and the renderer's types include it.
 */
import {
  servicesContract,
  type Channel,
  type ChannelInput,
  type ChannelOutput,
} from '../../../shared/ipc/contract.ts';
import type { ServiceEvent } from '../../../shared/ipc/events.ts';

/** Every services channel, taken from the contract's keys (never a second list of strings). */
export const serviceChannels = Object.freeze(Object.keys(servicesContract) as Channel[]);

/** True if `value` names a channel of the services contract. */
export function isServiceChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(servicesContract, value);
}

/** The IPC channel that carries calls of one services channel. */
export function ipcChannelFor(channel: Channel): string {
  return `gatehouse:services:${channel}`;
}

/** The settings window's one app action beside the contract: open an https link in the browser. */
export const OPEN_EXTERNAL_CHANNEL = 'gatehouse:app:open-external';

/** The one IPC channel carrying {@link ServiceEvent}s from main to the app's windows. */
export const SERVICE_EVENT_CHANNEL = 'gatehouse:service-event';

/** What main answers a call with; failures are values so their message arrives unchanged. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** How a failed call rejects in the renderer: a plain object, because contextBridge drops Error fields. */
export interface ServiceFailure {
  error: string;
}

/** One typed function per channel; channels whose input is `undefined` take no argument. */
export type ServiceCalls = {
  [C in Channel]: ChannelInput<C> extends undefined
    ? () => Promise<ChannelOutput<C>>
    : (input: ChannelInput<C>) => Promise<ChannelOutput<C>>;
};

/**
 * The object a window's preload exposes as `window.gatehouse`. The settings window has every channel
 * and `openExternal`; the approval popup only its few channels (window-kinds.ts), so calling any other
 * key there fails.
 */
export interface GatehouseBridge {
  /** Calls the services contract; keys are the contract's channels. */
  readonly call: Readonly<ServiceCalls>;
  /** Subscribes to service change events; returns the unsubscribe function. */
  onEvent(listener: (event: ServiceEvent) => void): () => void;
  /**
   * Opens an https address in the system browser (settings window only). Resolves true once handed
   * to the browser; rejects with `{ error }` when the address is refused.
   */
  openExternal?(url: string): Promise<boolean>;
}
