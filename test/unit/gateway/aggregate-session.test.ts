import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ClientRecord } from '../../../shared/schemas/clients.ts';
import type { ServerConfig } from '../../../shared/schemas/servers.ts';
import type {
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
} from '../../../electron/main/base/json-rpc.ts';
import { nullLogger } from '../../../electron/main/base/logger.ts';
import { routeAggregateRequest } from '../../../electron/main/gateway/aggregate-requests.ts';
import { AggregateSession } from '../../../electron/main/gateway/aggregate-session.ts';
import { SessionTable } from '../../../electron/main/gateway/session-table.ts';
import { SseParser } from '../../../electron/main/gateway/sse.ts';
import { UpstreamError } from '../../../electron/main/gateway/upstream/upstream-error.ts';
import type {
  RequestSink,
  UpstreamSession,
} from '../../../electron/main/gateway/upstream/upstream-session.ts';

/** An upstream session in memory: tools/list and tools/call answered, everything else recorded. */
class MemoryUpstream implements UpstreamSession {
  readonly transport = 'streamable-http' as const;
  readonly protocolVersion = '2025-11-25';
  readonly requests: JsonRpcRequest[] = [];
  readonly sent: (JsonRpcNotification | JsonRpcResponse)[] = [];
  listener: ((message: JsonRpcMessage) => void) | undefined;
  closed = false;
  /** Calls wait here until released (to test cancellation). */
  hold: Promise<void> = Promise.resolve();
  readonly tools: string[];

  constructor(tools: string[]) {
    this.tools = tools;
  }

  async request(request: JsonRpcRequest, _sink: RequestSink, signal?: AbortSignal): Promise<JsonRpcResponse> {
    this.requests.push(request);
    if (request.method === 'tools/list') {
      return {
        jsonrpc: '2.0',
        id: request.id,
        result: { tools: this.tools.map((name) => ({ name, inputSchema: { type: 'object' } })) },
      };
    }
    await Promise.race([
      this.hold,
      new Promise((_, reject) =>
        signal?.addEventListener('abort', () => reject(new UpstreamError('closed', 'aborted'))),
      ),
    ]);
    return {
      jsonrpc: '2.0',
      id: request.id,
      result: { content: [{ type: 'text', text: `${String(request.params?.name)} ran` }] },
    };
  }

  async send(message: JsonRpcNotification | JsonRpcResponse): Promise<void> {
    this.sent.push(message);
  }

  listen(onMessage: (message: JsonRpcMessage) => void): void {
    this.listener ??= onMessage;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Just enough of a ServerResponse for an SSE stream: it records what is written. */
function recordingResponse(): { res: ServerResponse; messages: () => JsonRpcMessage[] } {
  let text = '';
  const res = {
    writableEnded: false,
    destroyed: false,
    writableLength: 0,
    writeHead() {
      return res;
    },
    flushHeaders() {},
    on() {
      return res;
    },
    write(chunk: string) {
      text += chunk;
      return true;
    },
    end() {
      res.writableEnded = true;
      return res;
    },
  };
  const messages = () => {
    const found: JsonRpcMessage[] = [];
    // Priming events carry no data: only messages count.
    new SseParser((event) => {
      if (event.data !== '') found.push(JSON.parse(event.data) as JsonRpcMessage);
    }).push(Buffer.from(text));
    return found;
  };
  return { res: res as unknown as ServerResponse, messages };
}

const server = (name: string): ServerConfig =>
  ({ name, url: `http://127.0.0.1:1/${name}`, enabled: true }) as unknown as ServerConfig;

function setup(upstreams: Record<string, MemoryUpstream | undefined>, record: Partial<ClientRecord> = {}) {
  const sessions = new SessionTable(() => 60_000);
  const client = {
    name: 'agent',
    tokenHash: '0'.repeat(64),
    createdAt: new Date(0).toISOString(),
    ...record,
  };
  const closedAggregates: string[] = [];
  const agg = new AggregateSession(
    { clientName: 'agent', clientInfo: { name: 'test' }, protocolVersion: '2025-11-25', profile: '' },
    { jsonrpc: '2.0', id: 0, method: 'initialize', params: {} },
    {
      host: { logger: nullLogger, streamAttachChanged() {}, sessionClosed: (s) => sessions.delete(s) },
      sessions,
      logger: nullLogger,
      openUpstream: async (config) => {
        const upstream = upstreams[config.name];
        if (!upstream) return { error: `Server "${config.name}" is unavailable: connection refused` };
        return {
          upstream,
          response: { jsonrpc: '2.0', id: 0, result: { protocolVersion: '2025-11-25', capabilities: {} } },
        };
      },
      client: () => client,
      servers: () => Object.keys(upstreams).map(server),
      retryDelayMs: () => 3_600_000,
      initializeWaitMs: () => 5_000,
      closed: (s) => closedAggregates.push(s.id),
    },
  );
  const sink = {
    messages: [] as JsonRpcMessage[],
    onStream() {},
    onMessage(m: JsonRpcMessage) {
      sink.messages.push(m);
    },
  };
  const request = (method: string, params: Record<string, unknown> = {}, id: string | number = 1) =>
    routeAggregateRequest(agg, { jsonrpc: '2.0', id, method, params }, sink);
  return { agg, sessions, request, closedAggregates };
}

describe('AggregateSession', () => {
  it('merges namespaced lists, names the missing server, and routes calls by prefix', async () => {
    const a = new MemoryUpstream(['x', 'y__z']);
    const b = new MemoryUpstream(['x']);
    const { agg, request, sessions } = setup({ a, b, down: undefined });
    expect((await agg.start()).map((s) => s.server).sort()).toEqual(['a', 'b']);
    expect(sessions.all().map((s) => s.id)).toEqual([`${agg.id}.a`, `${agg.id}.b`]);
    const listed = (await request('tools/list')) as { result: Record<string, unknown> };
    expect((listed.result.tools as { name: string }[]).map((t) => t.name)).toEqual([
      'a__x',
      'a__y__z',
      'b__x',
    ]);
    const unavailable = (listed.result._meta as Record<string, { server: string; error: string }[]>)[
      'dev.gatehouse/unavailable'
    ];
    expect(unavailable?.map((u) => u.server)).toEqual(['down']);
    expect(unavailable?.[0]?.error).toContain('connection refused');
    const called = (await request('tools/call', { name: 'a__y__z', arguments: {} })) as unknown as {
      result: { content: { text: string }[] };
    };
    expect(called.result.content[0]!.text).toBe('y__z ran');
    expect(b.requests.filter((r) => r.method === 'tools/call')).toEqual([]);
    expect(await request('tools/call', { name: 'down__x' })).toMatchObject({ error: { code: -32010 } });
    expect(await request('tools/call', { name: 'nope' })).toMatchObject({ error: { code: -32602 } });
    expect(await request('tasks/list')).toMatchObject({ error: { code: -32601 } });
  });

  it('applies the tool filter to lists and calls', async () => {
    const a = new MemoryUpstream(['read', 'write']);
    const { agg, request } = setup({ a }, { toolFilter: ['a__read'] });
    await agg.start();
    const listed = (await request('tools/list')) as unknown as { result: { tools: { name: string }[] } };
    expect(listed.result.tools.map((t) => t.name)).toEqual(['a__read']);
    expect(await request('tools/call', { name: 'a__write' })).toMatchObject({
      error: { code: -32602, message: 'Unknown tool: a__write' },
    });
    expect(a.requests.filter((r) => r.method === 'tools/call')).toEqual([]);
  });

  it('gives server-to-client requests session-unique ids and routes the answers back', async () => {
    const a = new MemoryUpstream([]);
    const b = new MemoryUpstream([]);
    const { agg } = setup({ a, b });
    await agg.start();
    const stream = recordingResponse();
    expect(agg.openStream(stream.res, undefined)).toBe('ok');
    a.listener!({ jsonrpc: '2.0', id: 7, method: 'sampling/createMessage', params: {} });
    b.listener!({ jsonrpc: '2.0', id: 7, method: 'elicitation/create', params: {} });
    const [fromA, fromB] = stream.messages() as JsonRpcRequest[];
    expect(fromA!.id).not.toBe(fromB!.id);
    await agg.handleNotificationOrResponse({ jsonrpc: '2.0', id: fromB!.id, result: { action: 'decline' } });
    expect(b.sent).toEqual([{ jsonrpc: '2.0', id: 7, result: { action: 'decline' } }]);
    expect(a.sent).toEqual([]);
    // The server withdrawing its request is told to the client under the id the client knows.
    a.listener!({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7 } });
    expect(stream.messages().at(-1)).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: fromA!.id },
    });
    // A member's list change reaches the client.
    b.listener!({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    expect(stream.messages().at(-1)).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
  });

  it('routes a cancellation only to the member running the request, and closes all members', async () => {
    const a = new MemoryUpstream(['slow']);
    const b = new MemoryUpstream(['other']);
    let release!: () => void;
    a.hold = new Promise((resolve) => (release = resolve));
    const { agg, request, sessions, closedAggregates } = setup({ a, b });
    await agg.start();
    const pending = request('tools/call', { name: 'a__slow' }, 'call-1');
    await new Promise((resolve) => setImmediate(resolve));
    await agg.handleNotificationOrResponse({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 'call-1' },
    });
    expect(await pending).toBeUndefined(); // cancelled: no response is due
    expect(a.sent).toEqual([
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'call-1' } },
    ]);
    expect(b.sent).toEqual([]);
    release();
    await agg.handleNotificationOrResponse({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(b.sent).toEqual([{ jsonrpc: '2.0', method: 'notifications/initialized' }]);

    await agg.close('deleted by client');
    expect([a.closed, b.closed]).toEqual([true, true]);
    expect(sessions.size).toBe(0);
    expect(closedAggregates).toEqual([agg.id]);
  });
});
