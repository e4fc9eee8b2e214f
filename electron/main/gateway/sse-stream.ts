import crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { formatSseEvent } from './sse.ts';

const MAX_EVENTS = 256;
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * One downstream SSE stream (a POST response stream or the standalone GET stream) with its own
 * event ids `<stream>.<seq>` and a bounded replay buffer, so a client that lost the connection can
 * resume *this* stream with Last-Event-ID (MCP transports §Resumability: never another stream's events).
 */
export class SseStream {
  readonly id = crypto.randomBytes(6).toString('base64url');
  readonly #ring: { seq: number; frame: string }[] = [];
  #ringBytes = 0;
  #seq = 0;
  #delivered = 0;
  #res: ServerResponse | undefined;
  #done = false;

  readonly standalone: boolean;
  private readonly onAttachChange: (stream: SseStream, attached: boolean) => void;

  constructor(standalone: boolean, onAttachChange: (stream: SseStream, attached: boolean) => void) {
    this.standalone = standalone;
    this.onAttachChange = onAttachChange;
  }

  get attached(): boolean {
    return this.#res !== undefined;
  }

  get done(): boolean {
    return this.#done;
  }

  /** Takes over a connection: writes headers, an optional priming event, then replays what it missed. */
  attach(
    res: ServerResponse,
    afterSeq: number | undefined,
    priming: boolean,
    headers: Record<string, string> = {},
  ): void {
    this.detach();
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...headers,
    });
    res.flushHeaders();
    this.#res = res;
    res.on('close', () => {
      if (this.#res === res) this.detach();
    });
    if (priming && afterSeq === undefined) res.write(formatSseEvent('', `${this.id}.0`));
    const from = afterSeq ?? this.#delivered;
    for (const event of this.#ring) if (event.seq > from) res.write(event.frame);
    this.#delivered = this.#seq;
    this.onAttachChange(this, true);
    if (this.#done) this.#finish();
  }

  detach(): void {
    if (!this.#res) return;
    const res = this.#res;
    this.#res = undefined;
    if (!res.writableEnded) res.end();
    this.onAttachChange(this, false);
  }

  /** Sends (or buffers) one message. Returns false if the client cannot keep up and the stream was dropped. */
  send(message: unknown): boolean {
    const seq = ++this.#seq;
    const frame = formatSseEvent(JSON.stringify(message), `${this.id}.${seq}`);
    this.#ring.push({ seq, frame });
    this.#ringBytes += frame.length;
    while (this.#ring.length > MAX_EVENTS || (this.#ringBytes > MAX_BYTES && this.#ring.length > 1)) {
      this.#ringBytes -= this.#ring.shift()!.frame.length;
    }
    const res = this.#res;
    if (!res) return true;
    res.write(frame);
    this.#delivered = seq;
    // A client that never reads must not grow our memory: drop its connection, keep the buffer.
    if (res.writableLength > MAX_BYTES) {
      res.destroy();
      return false;
    }
    return true;
  }

  writeRaw(text: string): void {
    this.#res?.write(text);
  }

  /** No more events: end the connection once everything was delivered. */
  end(): void {
    this.#done = true;
    if (this.#res) this.#finish();
  }

  /** Events a resuming client would still need; a finished and delivered stream can be forgotten. */
  get disposable(): boolean {
    return this.#done && this.#delivered === this.#seq && !this.#res;
  }

  #finish(): void {
    const res = this.#res;
    this.#res = undefined;
    this.#ring.length = 0;
    this.#ringBytes = 0;
    if (res && !res.writableEnded) res.end();
    if (res) this.onAttachChange(this, false);
  }
}

/** Splits a Last-Event-ID of ours into stream id and sequence; anything else is unknown. */
export function parseEventId(value: string | undefined): { stream: string; seq: number } | undefined {
  if (!value) return undefined;
  const match = /^([A-Za-z0-9_-]{8})\.(\d{1,15})$/.exec(value);
  return match ? { stream: match[1]!, seq: Number(match[2]) } : undefined;
}
