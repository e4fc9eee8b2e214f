import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '../../../electron/main/gateway/sse.ts';
import { parseEventId, SseStream } from '../../../electron/main/gateway/sse-stream.ts';
import { waitFor } from '../../helpers/wait.ts';

/** A real HTTP server on 127.0.0.1 that hands each incoming response to the test. */
class ResponseServer {
  readonly #server = http.createServer((_req, res) => {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(res);
    else this.#pending.push(res);
  });
  readonly #waiters: ((res: http.ServerResponse) => void)[] = [];
  readonly #pending: http.ServerResponse[] = [];
  port = 0;

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
  }

  next(): Promise<http.ServerResponse> {
    const res = this.#pending.shift();
    if (res) return Promise.resolve(res);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A real SSE client connection: records headers, raw text and parsed events. */
class SseClient {
  readonly events: SseEvent[] = [];
  raw = '';
  ended = false;
  closed = false;
  response: http.IncomingMessage | undefined;
  readonly #request: http.ClientRequest;

  constructor(port: number) {
    const parser = new SseParser((event) => this.events.push(event));
    this.#request = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      this.response = res;
      res.on('data', (chunk: Buffer) => {
        this.raw += chunk.toString('utf8');
        parser.push(chunk);
      });
      res.on('end', () => (this.ended = true));
      res.on('close', () => (this.closed = true));
    });
    this.#request.on('error', () => (this.closed = true));
  }

  /** Drops the connection the way a client that lost its network would. */
  destroy(): void {
    this.#request.destroy();
  }

  async waitForEvents(count: number): Promise<SseEvent[]> {
    await waitFor(() => this.events.length >= count, 5_000, 5);
    return this.events;
  }
}

function seqOf(event: SseEvent): number {
  const parsed = parseEventId(event.id);
  if (!parsed) throw new Error(`not one of our event ids: ${event.id}`);
  return parsed.seq;
}

describe('SseStream over a real HTTP connection', () => {
  const server = new ResponseServer();
  const clients: SseClient[] = [];

  beforeAll(() => server.listen());
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server.close();
  });

  async function connect(): Promise<{ client: SseClient; res: http.ServerResponse }> {
    const client = new SseClient(server.port);
    clients.push(client);
    const res = await server.next();
    return { client, res };
  }

  function newStream(standalone = false) {
    const changes: boolean[] = [];
    const stream = new SseStream(standalone, (s, attached) => {
      expect(s).toBe(stream);
      changes.push(attached);
    });
    return { stream, changes };
  }

  it('has an 8-character id that parseEventId accepts', () => {
    const { stream } = newStream();
    expect(stream.id).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(parseEventId(`${stream.id}.5`)).toEqual({ stream: stream.id, seq: 5 });
    expect(newStream().stream.id).not.toBe(stream.id);
    expect(newStream(true).stream.standalone).toBe(true);
    expect(stream.standalone).toBe(false);
  });

  it('writes SSE headers, extra headers, and events sent while attached', async () => {
    const { stream, changes } = newStream();
    const { client, res } = await connect();
    stream.attach(res, undefined, false, { 'mcp-session-id': 'sess-1' });
    expect(stream.attached).toBe(true);
    expect(changes).toEqual([true]);
    await waitFor(() => client.response);
    expect(client.response!.statusCode).toBe(200);
    expect(client.response!.headers['content-type']).toBe('text/event-stream');
    expect(client.response!.headers['cache-control']).toBe('no-cache, no-transform');
    expect(client.response!.headers['x-accel-buffering']).toBe('no');
    expect(client.response!.headers['mcp-session-id']).toBe('sess-1');

    expect(stream.send({ jsonrpc: '2.0', method: 'a' })).toBe(true);
    expect(stream.send({ jsonrpc: '2.0', id: 1, result: {} })).toBe(true);
    const events = await client.waitForEvents(2);
    expect(events.map((e) => JSON.parse(e.data) as unknown)).toEqual([
      { jsonrpc: '2.0', method: 'a' },
      { jsonrpc: '2.0', id: 1, result: {} },
    ]);
    expect(events.map((e) => e.id)).toEqual([`${stream.id}.1`, `${stream.id}.2`]);
    expect(client.ended).toBe(false);
    stream.detach();
  });

  it('sends a priming event with id <stream>.0 when asked, before anything else', async () => {
    const { stream } = newStream();
    stream.send({ n: 1 });
    const { client, res } = await connect();
    stream.attach(res, undefined, true);
    const events = await client.waitForEvents(2);
    expect(events[0]).toEqual({ event: 'message', id: `${stream.id}.0`, data: '' });
    expect(JSON.parse(events[1]!.data)).toEqual({ n: 1 });
    expect(client.raw.startsWith(`id: ${stream.id}.0\ndata: \n\n`)).toBe(true);
    stream.detach();
  });

  it('sends no priming event when not asked, nor when resuming', async () => {
    const { stream } = newStream();
    stream.send({ n: 1 });
    const first = await connect();
    stream.attach(first.res, undefined, false);
    await first.client.waitForEvents(1);
    expect(first.client.events.map(seqOf)).toEqual([1]);

    const second = await connect();
    stream.attach(second.res, 0, true);
    await second.client.waitForEvents(1);
    expect(second.client.events.map(seqOf)).toEqual([1]);
    expect(second.client.raw).not.toContain(`${stream.id}.0`);
    stream.detach();
  });

  it('buffers events sent while detached and delivers them on the next attach', async () => {
    const { stream } = newStream();
    expect(stream.attached).toBe(false);
    for (let n = 1; n <= 3; n++) expect(stream.send({ n })).toBe(true);
    const { client, res } = await connect();
    stream.attach(res, undefined, false);
    const events = await client.waitForEvents(3);
    expect(events.map(seqOf)).toEqual([1, 2, 3]);
    expect(events.map((e) => (JSON.parse(e.data) as { n: number }).n)).toEqual([1, 2, 3]);
    stream.detach();
  });

  it('on attach without afterSeq replays only what was never delivered', async () => {
    const { stream, changes } = newStream();
    const first = await connect();
    stream.attach(first.res, undefined, false);
    stream.send({ n: 1 });
    stream.send({ n: 2 });
    await first.client.waitForEvents(2);

    // The client drops the connection; the stream notices and detaches.
    first.client.destroy();
    await waitFor(() => !stream.attached, 5_000, 5);
    expect(changes).toEqual([true, false]);

    stream.send({ n: 3 });
    stream.send({ n: 4 });
    const second = await connect();
    stream.attach(second.res, undefined, false);
    stream.send({ n: 5 });
    const events = await second.client.waitForEvents(3);
    expect(events.map(seqOf)).toEqual([3, 4, 5]);
    expect(changes).toEqual([true, false, true]);
    stream.detach();
  });

  it('on attach with afterSeq replays exactly the events after that seq, delivered or not', async () => {
    const { stream } = newStream();
    const first = await connect();
    stream.attach(first.res, undefined, false);
    for (let n = 1; n <= 4; n++) stream.send({ n });
    await first.client.waitForEvents(4);
    first.client.destroy();
    await waitFor(() => !stream.attached, 5_000, 5);
    stream.send({ n: 5 });

    // The client only saw up to seq 2 before the connection broke.
    const second = await connect();
    stream.attach(second.res, 2, false);
    await second.client.waitForEvents(3);
    // Give a stray extra event the chance to arrive before checking there is none.
    stream.send({ n: 6 });
    await second.client.waitForEvents(4);
    expect(second.client.events.map(seqOf)).toEqual([3, 4, 5, 6]);
    expect(second.client.events.every((e) => parseEventId(e.id)?.stream === stream.id)).toBe(true);
    stream.detach();
  });

  it('replays nothing when afterSeq is the last seq', async () => {
    const { stream } = newStream();
    stream.send({ n: 1 });
    stream.send({ n: 2 });
    const { client, res } = await connect();
    stream.attach(res, 2, false);
    stream.send({ n: 3 });
    await client.waitForEvents(1);
    expect(client.events.map(seqOf)).toEqual([3]);
    stream.detach();
  });

  it("replays only this stream's events, never another stream's", async () => {
    const a = newStream().stream;
    const b = newStream().stream;
    a.send({ from: 'a', n: 1 });
    b.send({ from: 'b', n: 1 });
    a.send({ from: 'a', n: 2 });
    b.send({ from: 'b', n: 2 });
    b.send({ from: 'b', n: 3 });

    const { client, res } = await connect();
    a.attach(res, 0, false);
    a.send({ from: 'a', n: 3 });
    const events = await client.waitForEvents(3);
    expect(events.map((e) => JSON.parse(e.data) as unknown)).toEqual([
      { from: 'a', n: 1 },
      { from: 'a', n: 2 },
      { from: 'a', n: 3 },
    ]);
    expect(events.map((e) => e.id)).toEqual([`${a.id}.1`, `${a.id}.2`, `${a.id}.3`]);
    expect(client.raw).not.toContain(b.id);
    a.detach();
  });

  it('keeps at most 256 events for replay', async () => {
    const { stream } = newStream();
    for (let n = 1; n <= 300; n++) stream.send({ n });
    const { client, res } = await connect();
    stream.attach(res, 0, false);
    stream.end();
    await waitFor(() => client.ended, 5_000, 5);
    const seqs = client.events.map(seqOf);
    expect(seqs).toHaveLength(256);
    expect(seqs[0]).toBe(45);
    expect(seqs.at(-1)).toBe(300);
  });

  it('ends the connection after delivering everything when end() is called while attached', async () => {
    const { stream, changes } = newStream();
    const { client, res } = await connect();
    stream.attach(res, undefined, false);
    stream.send({ n: 1 });
    stream.send({ n: 2 });
    expect(stream.disposable).toBe(false);
    stream.end();
    expect(stream.done).toBe(true);
    expect(stream.attached).toBe(false);
    expect(changes).toEqual([true, false]);
    await waitFor(() => client.ended, 5_000, 5);
    expect(client.events.map(seqOf)).toEqual([1, 2]);
    expect(stream.disposable).toBe(true);
  });

  it('after end() while detached, the next attach delivers what is left and closes', async () => {
    const { stream, changes } = newStream();
    stream.send({ n: 1 });
    stream.end();
    expect(stream.done).toBe(true);
    // Not yet delivered: a resuming client still needs it.
    expect(stream.disposable).toBe(false);
    expect(changes).toEqual([]);

    const { client, res } = await connect();
    stream.attach(res, undefined, false);
    await waitFor(() => client.ended, 5_000, 5);
    expect(client.events.map(seqOf)).toEqual([1]);
    expect(stream.attached).toBe(false);
    expect(stream.disposable).toBe(true);
    expect(changes).toEqual([true, false]);
  });

  it('a stream ended and delivered has nothing left to replay', async () => {
    const { stream } = newStream();
    const first = await connect();
    stream.attach(first.res, undefined, false);
    stream.send({ n: 1 });
    stream.end();
    await waitFor(() => first.client.ended, 5_000, 5);

    const second = await connect();
    stream.attach(second.res, 0, false);
    await waitFor(() => second.client.ended, 5_000, 5);
    expect(second.client.events).toEqual([]);
  });

  it('a new attach takes over from the connection it replaces, ending the old one', async () => {
    const { stream, changes } = newStream();
    const first = await connect();
    stream.attach(first.res, undefined, false);
    const second = await connect();
    stream.attach(second.res, undefined, false);
    await waitFor(() => first.client.ended, 5_000, 5);
    expect(changes).toEqual([true, false, true]);

    stream.send({ n: 1 });
    await second.client.waitForEvents(1);
    expect(first.client.events).toEqual([]);
    stream.detach();
  });

  it('detach ends the response and is idempotent', async () => {
    const { stream, changes } = newStream();
    const { client, res } = await connect();
    stream.attach(res, undefined, false);
    stream.detach();
    stream.detach();
    expect(changes).toEqual([true, false]);
    await waitFor(() => client.ended, 5_000, 5);
    expect(stream.done).toBe(false);
  });

  it('writeRaw writes through only while attached', async () => {
    const { stream } = newStream();
    stream.writeRaw(': before\n\n');
    const { client, res } = await connect();
    stream.attach(res, undefined, false);
    stream.writeRaw(': keepalive\n\n');
    stream.send({ n: 1 });
    await client.waitForEvents(1);
    expect(client.raw).toBe(`: keepalive\n\nid: ${stream.id}.1\ndata: {"n":1}\n\n`);
    stream.detach();
  });

  it('drops a client that does not read, keeps the events for a resume', async () => {
    const { stream } = newStream();
    const { client, res } = await connect();
    stream.attach(res, undefined, false);
    await waitFor(() => client.response);
    client.response!.pause();

    const big = 'x'.repeat(1024 * 1024);
    let sent = 0;
    let accepted = true;
    while (accepted && sent < 200) {
      accepted = stream.send({ big, n: ++sent });
    }
    expect(accepted).toBe(false);
    await waitFor(() => !stream.attached, 5_000, 5);

    // The ring is bounded by bytes too: only the last events are kept, newest last.
    const resumed = await connect();
    stream.attach(resumed.res, 0, false);
    stream.end();
    await waitFor(() => resumed.client.ended, 10_000, 5);
    const seqs = resumed.client.events.map(seqOf);
    expect(seqs.length).toBeGreaterThan(0);
    expect(seqs.length).toBeLessThanOrEqual(4);
    expect(seqs.at(-1)).toBe(sent);
  });
});

describe('parseEventId', () => {
  it.each([
    ['AbCd_-12.0', { stream: 'AbCd_-12', seq: 0 }],
    ['abcdefgh.1', { stream: 'abcdefgh', seq: 1 }],
    ['ABCDEFGH.42', { stream: 'ABCDEFGH', seq: 42 }],
    ['12345678.007', { stream: '12345678', seq: 7 }],
    ['abcdefgh.999999999999999', { stream: 'abcdefgh', seq: 999999999999999 }],
  ])('reads %j', (value, expected) => {
    expect(parseEventId(value)).toEqual(expected);
  });

  it.each([
    ['nothing', undefined],
    ['an empty string', ''],
    ['no dot', 'abcdefgh'],
    ['no seq', 'abcdefgh.'],
    ['no stream', '.1'],
    ['a short stream id', 'abcdefg.1'],
    ['a long stream id', 'abcdefghi.1'],
    ['a stream id with other characters', 'abcd+fgh.1'],
    ['a negative seq', 'abcdefgh.-1'],
    ['a fractional seq', 'abcdefgh.1.5'],
    ['an exponent', 'abcdefgh.1e3'],
    ['a seq with 16 digits', 'abcdefgh.1234567890123456'],
    ['spaces', ' abcdefgh.1'],
    ['a trailing newline', 'abcdefgh.1\n'],
    ['a number', '42'],
  ])('refuses %s', (_label, value) => {
    expect(parseEventId(value)).toBeUndefined();
  });
});
