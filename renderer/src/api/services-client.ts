import {
  servicesContract,
  type Channel,
  type ChannelInput,
  type ChannelOutput,
} from '../../../shared/ipc/contract.ts';
import { serviceEventSchema, type ServiceEvent } from '../../../shared/ipc/events.ts';
import type { GatehouseBridge } from '../../../electron/main/ipc/bridge-protocol.ts';

/** A services call that failed; the message is meant for the person. */
export class ServiceCallError extends Error {
  override name = 'ServiceCallError';
}

/** The arguments of a channel: none when its input is `undefined`, else exactly one. */
export type CallArgs<C extends Channel> = ChannelInput<C> extends undefined ? [] : [input: ChannelInput<C>];

/** Which host the page runs in; only used to choose how to open links and whether to notify. */
export type HostKind = 'electron' | 'browser';

/**
 * How pages talk to the core: the services contract plus change events. Desktop pages get it over the
 * preload bridge, browser pages (served by `gatehouse serve` at `/app`) over HTTP + server-sent events.
 * Pages never know which.
 */
export interface ServicesClient {
  readonly host: HostKind;
  call<C extends Channel>(channel: C, ...args: CallArgs<C>): Promise<ChannelOutput<C>>;
  onEvent(listener: (event: ServiceEvent) => void): () => void;
}

function failureMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'error' in error && typeof error.error === 'string') {
    return error.error;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Checks an answer against the contract's output schema, so a page never renders an unexpected shape. */
function validated<C extends Channel>(channel: C, value: unknown): ChannelOutput<C> {
  const parsed = servicesContract[channel].output.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServiceCallError(
      `unexpected answer from ${channel}: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'}`,
    );
  }
  return parsed.data as ChannelOutput<C>;
}

/** A client over the desktop preload's `window.gatehouse`. */
export function createBridgeClient(bridge: GatehouseBridge): ServicesClient {
  return {
    host: 'electron',
    async call(channel, ...args) {
      const fn = bridge.call[channel] as ((input?: unknown) => Promise<unknown>) | undefined;
      if (typeof fn !== 'function') throw new ServiceCallError(`${channel} is not available in this window`);
      let value: unknown;
      try {
        value = await fn(...args);
      } catch (error) {
        throw new ServiceCallError(failureMessage(error));
      }
      return validated(channel, value);
    },
    onEvent: (listener) => bridge.onEvent(listener),
  };
}

/** The `fetch` and `EventSource` an HTTP client uses (injectable for tests). */
export interface HttpTransport {
  fetch: typeof fetch;
  EventSource?: typeof EventSource;
  /** Prefix of the services API, `/api` by default. */
  base?: string;
}

/**
 * A client over the headless host's `/api`: `POST /api/<channel>` with `{"input": …}`, answered with
 * `{ok:true,result}` or `{ok:false,error}`; change events arrive on `GET /api/events` (server-sent
 * events, one ServiceEvent JSON per message; EventSource reconnects by itself).
 */
export function createHttpClient(transport: HttpTransport): ServicesClient {
  const base = transport.base ?? '/api';
  const listeners = new Set<(event: ServiceEvent) => void>();
  let source: EventSource | undefined;

  const openEvents = () => {
    if (source || !transport.EventSource) return;
    source = new transport.EventSource(`${base}/events`);
    source.onmessage = (message: MessageEvent<unknown>) => {
      if (typeof message.data !== 'string') return;
      let json: unknown;
      try {
        json = JSON.parse(message.data);
      } catch {
        return;
      }
      const event = serviceEventSchema.safeParse(json);
      if (!event.success) return;
      for (const listener of [...listeners]) listener(event.data);
    };
  };

  return {
    host: 'browser',
    async call(channel, ...args) {
      let response: Response;
      try {
        response = await transport.fetch(`${base}/${channel}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ input: args[0] }),
        });
      } catch (error) {
        throw new ServiceCallError(`cannot reach Gatehouse: ${failureMessage(error)}`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new ServiceCallError(
          response.status === 401 || response.status === 403
            ? 'not signed in to this Gatehouse: open the address `gatehouse serve` printed'
            : `Gatehouse answered HTTP ${response.status}`,
        );
      }
      if (body && typeof body === 'object' && 'ok' in body) {
        if (body.ok === true && response.ok) return validated(channel, (body as { result?: unknown }).result);
        if (body.ok === false) throw new ServiceCallError(failureMessage(body));
      }
      throw new ServiceCallError(
        response.status === 401 || response.status === 403
          ? 'not signed in to this Gatehouse: open the address `gatehouse serve` printed'
          : `Gatehouse answered HTTP ${response.status}`,
      );
    },
    onEvent(listener) {
      listeners.add(listener);
      openEvents();
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** The client for this page: the Electron preload when present, else HTTP against this page's origin. */
export function findServicesClient(): ServicesClient | undefined {
  if (window.gatehouse) return createBridgeClient(window.gatehouse);
  if (location.protocol === 'http:' || location.protocol === 'https:') {
    return createHttpClient({
      fetch: window.fetch.bind(window),
      EventSource: typeof window.EventSource === 'function' ? window.EventSource : undefined,
    });
  }
  return undefined;
}
