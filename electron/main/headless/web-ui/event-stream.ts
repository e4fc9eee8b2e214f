import type { ServerResponse } from 'node:http';
import type { ServiceEvent } from '../../../../shared/ipc/events.ts';
import type { Event } from '../../base/emitter.ts';

const KEEPALIVE_MS = 15_000;
/** Browser tabs listening at once; more are refused (each holds a socket and a listener). */
const MAX_STREAMS = 32;

interface OpenStream {
  res: ServerResponse;
  /** The browser session it belongs to (ended with it), or undefined for the admin token. */
  session: string | undefined;
}

/**
 * `GET /api/events`: the services' change events as server-sent events, one `data: <ServiceEvent JSON>`
 * per event, with a keep-alive comment every 15 s so proxies and SSH tunnels keep the socket open.
 * A stream is cleaned up when its browser goes away, when its session ends, and at shutdown.
 */
export class EventStreams {
  readonly #onDidChange: Event<ServiceEvent>;
  readonly #streams = new Set<OpenStream>();
  #timer: NodeJS.Timeout | undefined;

  constructor(onDidChange: Event<ServiceEvent>) {
    this.#onDidChange = onDidChange;
  }

  get size(): number {
    return this.#streams.size;
  }

  /** Answers the request with a stream; false when too many are open (the caller refuses). */
  open(res: ServerResponse, session: string | undefined): boolean {
    if (this.#streams.size >= MAX_STREAMS) return false;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    res.write(': gatehouse events\n\n');
    const stream: OpenStream = { res, session };
    const subscription = this.#onDidChange((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    this.#streams.add(stream);
    this.#schedule();
    res.on('close', () => {
      subscription.dispose();
      this.#streams.delete(stream);
      this.#schedule();
    });
    return true;
  }

  /** Ends the streams of one browser session (it signed out). */
  endSession(session: string): void {
    for (const stream of this.#streams) if (stream.session === session) stream.res.end();
  }

  /** Ends every stream (shutdown), so closing the server does not wait on them. */
  close(): void {
    for (const stream of this.#streams) stream.res.end();
  }

  /** One keep-alive timer for all streams, running only while there are any. */
  #schedule(): void {
    if (this.#streams.size > 0 && !this.#timer) {
      this.#timer = setInterval(() => {
        for (const stream of this.#streams) stream.res.write(': keep-alive\n\n');
      }, KEEPALIVE_MS);
      this.#timer.unref();
    } else if (this.#streams.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
