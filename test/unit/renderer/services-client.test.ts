import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import type { GatehouseBridge } from '../../../electron/main/ipc/bridge-protocol.ts';
import {
  createBridgeClient,
  createHttpClient,
  ServiceCallError,
} from '../../../renderer/src/api/services-client.ts';

/**
 * The renderer's HTTP transport against a real HTTP server speaking the `/api` wire format
 * (`POST /api/<channel>` with `{"input": …}` → `{ok, result | error}`).
 */
let server: http.Server;
let base: string;
const seen: { url: string; body: string; contentType: string | undefined }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', body, contentType: req.headers['content-type'] });
      const reply = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      switch (req.url) {
        case '/api/status.get':
          return reply(200, {
            ok: true,
            result: { state: 'listening', url: 'http://127.0.0.1:1', dataDir: '/d', sessions: 0, servers: 2 },
          });
        case '/api/servers.remove':
          return reply(400, { ok: false, error: 'no server named "x"' });
        case '/api/clients.list':
          return reply(200, { ok: true, result: [{ name: 'c', active: 'yes' }] });
        case '/api/sessions.list':
          res.writeHead(401, { 'content-type': 'text/plain' });
          return res.end('sign in');
        default:
          return reply(404, { ok: false, error: 'no such channel' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('createHttpClient', () => {
  it('posts {"input": …} as JSON and returns the validated result', async () => {
    const client = createHttpClient({ fetch, base });
    expect(client.host).toBe('browser');
    const status = await client.call('status.get');
    expect(status).toMatchObject({ state: 'listening', servers: 2 });
    expect(seen.at(-1)).toEqual({ url: '/api/status.get', body: '{}', contentType: 'application/json' });
  });

  it("throws the service's message on {ok:false}", async () => {
    const client = createHttpClient({ fetch, base });
    await expect(client.call('servers.remove', { name: 'x' })).rejects.toThrow(
      new ServiceCallError('no server named "x"'),
    );
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ input: { name: 'x' } });
  });

  it('refuses an answer that does not match the contract', async () => {
    const client = createHttpClient({ fetch, base });
    await expect(client.call('clients.list')).rejects.toThrow(/unexpected answer from clients\.list/);
  });

  it('explains a missing sign-in', async () => {
    const client = createHttpClient({ fetch, base });
    await expect(client.call('sessions.list')).rejects.toThrow(/not signed in/);
  });

  it('delivers valid events from the event stream and ignores junk', () => {
    const sources: FakeEventSource[] = [];
    class FakeEventSource {
      onmessage: ((message: MessageEvent<unknown>) => void) | null = null;
      readonly url: string;
      constructor(url: string) {
        this.url = url;
        sources.push(this);
      }
    }
    const client = createHttpClient({
      fetch,
      base,
      EventSource: FakeEventSource as unknown as typeof EventSource,
    });
    const received: ServiceEvent[] = [];
    const stop = client.onEvent((event) => received.push(event));
    client.onEvent(() => undefined);
    expect(sources).toHaveLength(1);
    expect(sources[0]?.url).toBe(`${base}/events`);
    const send = (data: string) => sources[0]?.onmessage?.({ data } as MessageEvent<unknown>);
    send('{"type":"approvals-changed","pending":2}');
    send('not json');
    send('{"type":"no-such-event"}');
    stop();
    send('{"type":"servers-changed"}');
    expect(received).toEqual([{ type: 'approvals-changed', pending: 2 }]);
  });
});

describe('createBridgeClient', () => {
  /** A bridge shaped like the popup preload's: only a few channels, failures as plain `{ error }`. */
  const bridge = {
    call: {
      'approvals.list': async () => [],
      // As contextBridge delivers a preload's rejection: a plain object, not an Error.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      'approvals.answer': () => Promise.reject({ error: 'this approval was already answered' }),
      'status.get': async () => ({ state: 'listening', dataDir: '/d', sessions: 0, servers: 'two' }),
    },
    onEvent: () => () => undefined,
  } as unknown as GatehouseBridge;

  it('returns validated answers and passes the failure message through', async () => {
    const client = createBridgeClient(bridge);
    expect(client.host).toBe('electron');
    expect(await client.call('approvals.list')).toEqual([]);
    await expect(
      client.call('approvals.answer', { id: 'a', answer: { kind: 'allow-once' } }),
    ).rejects.toThrow('this approval was already answered');
    await expect(client.call('status.get')).rejects.toThrow(/unexpected answer from status\.get/);
  });

  it('says when a window does not offer a channel', async () => {
    await expect(createBridgeClient(bridge).call('servers.list')).rejects.toThrow(
      'servers.list is not available in this window',
    );
  });
});
