import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { startConformanceServer, type ConformanceServer } from '../fixtures/conformance-server.ts';
import { startGateway, type GatewayHarness } from './support/gateway-harness.ts';
import { INITIALIZE, mcpHeaders, rawRequest } from './support/raw-http.ts';
import { openSse } from './support/sse-client.ts';

/** Resumable streams, upstream stream drops and upstream timeouts, through the real gateway. */
describe('gateway streams and faults', () => {
  let gw: GatewayHarness;
  let fixture: ConformanceServer;
  let hanging: { url: string; cancelled: unknown[]; close(): Promise<void> };
  let token: string;

  beforeAll(async () => {
    fixture = await startConformanceServer();
    hanging = await startHangingServer();
    gw = await startGateway({ allowAll: true });
    await gw.core.services['settings.set']({ key: 'upstream.timeoutSeconds', value: 1 });
    await gw.addServer('conf', fixture.url);
    await gw.addServer('hanging', hanging.url);
    token = await gw.addClient('streams');
  });
  afterAll(async () => {
    await gw?.stop();
    await fixture?.close();
    await hanging?.close();
  });

  async function session(server = 'conf'): Promise<string> {
    const res = await rawRequest(gw.port, {
      path: `/mcp/${server}`,
      headers: mcpHeaders(gw.port, token),
      body: INITIALIZE,
    });
    const id = res.headers['mcp-session-id'] as string;
    await rawRequest(gw.port, {
      path: `/mcp/${server}`,
      headers: mcpHeaders(gw.port, token, { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' }),
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });
    return id;
  }

  it('lets a client resume a dropped response stream with Last-Event-ID, and only in its own session', async () => {
    const a = await session();
    const headers = mcpHeaders(gw.port, token, { 'mcp-session-id': a, 'mcp-protocol-version': '2025-11-25' });
    const call = await openSse(gw.port, {
      method: 'POST',
      path: '/mcp/conf',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: 'p1' } },
      }),
    });
    expect(call.headers['content-type']).toBe('text/event-stream');
    const [priming, first] = await call.waitForEvents(2);
    expect(priming!.data).toBe('');
    expect(priming!.id).toMatch(/\.0$/);
    expect(JSON.parse(first!.data)).toMatchObject({
      method: 'notifications/progress',
      params: { progress: 0 },
    });
    call.drop();

    // Another session must not be able to read session A's stream.
    const b = await session();
    const stranger = await openSse(gw.port, {
      method: 'GET',
      path: '/mcp/conf',
      headers: {
        ...mcpHeaders(gw.port, token, { 'mcp-session-id': b }),
        accept: 'text/event-stream',
        'last-event-id': first!.id!,
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(stranger.events.filter((e) => e.data !== '')).toEqual([]);
    stranger.drop();

    const resumed = await openSse(gw.port, {
      method: 'GET',
      path: '/mcp/conf',
      headers: { ...headers, accept: 'text/event-stream', 'last-event-id': first!.id! },
    });
    await resumed.ended;
    const messages = resumed.events
      .filter((e) => e.data !== '')
      .map((e) => JSON.parse(e.data) as Record<string, unknown>);
    expect(
      messages.map((m) => (m.params as { progress?: number } | undefined)?.progress ?? 'response'),
    ).toEqual([50, 100, 'response']);
    expect(messages.at(-1)).toMatchObject({
      id: 7,
      result: { content: [{ text: 'Tool with progress executed successfully' }] },
    });
  });

  it('resumes the upstream stream when the server drops it mid-call (SEP-1699 polling)', async () => {
    const { client } = await gw.connect('conf', token);
    const result = await client.callTool({ name: 'test_reconnection', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'Reconnection test completed successfully' }]);
  });

  it('answers a request the upstream never answers with a timeout error naming the server, and cancels it upstream', async () => {
    const { client } = await gw.connect('hanging', token);
    const started = Date.now();
    await expect(client.callTool({ name: 'hang', arguments: {} })).rejects.toThrow(
      /Server "hanging" did not answer in time/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(hanging.cancelled.length).toBe(1);
  });
});

/** An SDK server whose `hang` tool never answers; it records the cancellations it receives. */
async function startHangingServer(): Promise<{ url: string; cancelled: unknown[]; close(): Promise<void> }> {
  const cancelled: unknown[] = [];
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const server = http.createServer((req, res) => {
    void (async () => {
      const sid = req.headers['mcp-session-id'] as string | undefined;
      let transport = sid ? transports.get(sid) : undefined;
      if (!transport) {
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => crypto.randomUUID(),
          onsessioninitialized: (id) => void transports.set(id, created),
        });
        const mcp = new McpServer({ name: 'hanging', version: '1' });
        mcp.registerTool('hang', { description: 'never answers' }, (extra) => {
          return new Promise((resolve) => {
            extra.signal.addEventListener('abort', () => {
              cancelled.push(extra.requestId);
              resolve({ content: [{ type: 'text', text: 'cancelled' }] });
            });
          });
        });
        await mcp.connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    cancelled,
    async close() {
      await Promise.all([...transports.values()].map((t) => t.close()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
