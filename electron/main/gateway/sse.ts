/** One Server-Sent Event as parsed from a stream (WHATWG HTML §9.2 event stream interpretation). */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
  retry?: number;
}

/**
 * Incremental SSE parser: feed it bytes as they arrive, it calls `onEvent` for each complete event.
 * Bounded: an event larger than `maxEventBytes` is an error, so a hostile upstream cannot grow memory.
 */
export class SseParser {
  readonly #decoder = new TextDecoder('utf-8');
  readonly #onEvent: (event: SseEvent) => void;
  readonly #maxEventBytes: number;
  #buffer = '';
  #data: string[] = [];
  #dataBytes = 0;
  #event = '';
  #id: string | undefined;
  #retry: number | undefined;
  #first = true;
  #afterCr = false;

  constructor(onEvent: (event: SseEvent) => void, maxEventBytes = 32 * 1024 * 1024) {
    this.#onEvent = onEvent;
    this.#maxEventBytes = maxEventBytes;
  }

  push(chunk: Uint8Array): void {
    this.#buffer += this.#decoder.decode(chunk, { stream: true });
    if (this.#first && this.#buffer.length > 0) {
      if (this.#buffer.charCodeAt(0) === 0xfeff) this.#buffer = this.#buffer.slice(1);
      this.#first = false;
    }
    if (this.#buffer.length === 0) return; // an empty chunk changes nothing, not even a pending CR
    let start = 0;
    // A CR ended the previous chunk's last line; an LF right after it belongs to that line ending.
    if (this.#afterCr && this.#buffer.charCodeAt(0) === 10) start = 1;
    this.#afterCr = false;
    for (;;) {
      const nl = this.#findLineEnd(start);
      if (nl === -1) break;
      const line = this.#buffer.slice(start, nl.index);
      start = nl.next;
      if (start === this.#buffer.length && this.#buffer.charCodeAt(nl.index) === 13) this.#afterCr = true;
      this.#line(line);
    }
    this.#buffer = this.#buffer.slice(start);
    if (this.#buffer.length + this.#dataBytes > this.#maxEventBytes) {
      throw new Error(`SSE event larger than ${this.#maxEventBytes} bytes`);
    }
  }

  #findLineEnd(from: number): { index: number; next: number } | -1 {
    for (let i = from; i < this.#buffer.length; i++) {
      const c = this.#buffer.charCodeAt(i);
      if (c === 10) return { index: i, next: i + 1 };
      if (c === 13) {
        // A lone CR is a complete line ending (no waiting for more bytes); a following LF is skipped.
        return { index: i, next: this.#buffer.charCodeAt(i + 1) === 10 ? i + 2 : i + 1 };
      }
    }
    return -1;
  }

  #line(line: string): void {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        this.#dataBytes += value.length;
        if (this.#dataBytes > this.#maxEventBytes)
          throw new Error(`SSE event larger than ${this.#maxEventBytes} bytes`);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retry = Number(value);
        break;
      default:
        break;
    }
  }

  #dispatch(): void {
    const hasData = this.#data.length > 0;
    const event: SseEvent = { event: this.#event || 'message', data: this.#data.join('\n') };
    if (this.#id !== undefined) event.id = this.#id;
    if (this.#retry !== undefined) event.retry = this.#retry;
    this.#data = [];
    this.#dataBytes = 0;
    this.#event = '';
    this.#retry = undefined;
    // The id persists per spec (last event id), but we report it only with the event that set it.
    this.#id = undefined;
    if (hasData || event.id !== undefined || event.retry !== undefined) this.#onEvent(event);
  }
}

/** Serializes one SSE event. `data` must not contain a bare CR; JSON never does. */
export function formatSseEvent(data: string, id?: string, event?: string, retry?: number): string {
  let out = '';
  if (event) out += `event: ${event}\n`;
  if (id !== undefined) out += `id: ${id}\n`;
  if (retry !== undefined) out += `retry: ${retry}\n`;
  // data may contain newlines only if it is not single-line JSON; split to stay well-formed.
  for (const line of data.split('\n')) out += `data: ${line}\n`;
  return out + '\n';
}

/** A comment line that keeps idle connections (and proxies between) from timing out. */
export const SSE_KEEPALIVE = ': keepalive\n\n';
