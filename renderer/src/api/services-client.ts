import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract.ts';
import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import type { GatehouseBridge } from '../../../electron/main/ipc/bridge-protocol.ts';

/** A services call that failed; the message is meant for the person. */
export class ServiceCallError extends Error {
  override name = 'ServiceCallError';
}

/** The arguments of a channel: none when its input is `undefined`, else exactly one. */
export type CallArgs<C extends Channel> = ChannelInput<C> extends undefined ? [] : [input: ChannelInput<C>];

/**
 * How pages talk to the core: the services contract plus change events. Desktop pages get it over the
 * preload bridge; the headless host will provide the same interface over HTTP.
 */
export interface ServicesClient {
  call<C extends Channel>(channel: C, ...args: CallArgs<C>): Promise<ChannelOutput<C>>;
  onEvent(listener: (event: ServiceEvent) => void): () => void;
}

function failureMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'error' in error && typeof error.error === 'string') {
    return error.error;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A client over the desktop preload's `window.gatehouse`. */
export function createBridgeClient(bridge: GatehouseBridge): ServicesClient {
  return {
    async call(channel, ...args) {
      const fn = bridge.call[channel] as (input?: unknown) => Promise<ChannelOutput<typeof channel>>;
      try {
        return await fn(...args);
      } catch (error) {
        throw new ServiceCallError(failureMessage(error));
      }
    },
    onEvent: (listener) => bridge.onEvent(listener),
  };
}

/** The client for this page, or undefined when no transport is available (a plain browser, for now). */
export function findServicesClient(): ServicesClient | undefined {
  return window.gatehouse ? createBridgeClient(window.gatehouse) : undefined;
}
