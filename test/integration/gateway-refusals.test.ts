import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformanceServer } from '../fixtures/conformance-server.ts';
import { startGateway, type GatewayHarness } from './support/gateway-harness.ts';
import { INITIALIZE, mcpHeaders, rawRequest } from './support/raw-http.ts';

/** Every refusal the gateway makes, checked over real HTTP against the real gateway. */
describe('gateway refusals', () => {
  let gw: GatewayHarness;
  let upstream: Awaited<ReturnType<typeof startConformanceServer>>;
  let token: string;
  let otherToken: string;

  beforeAll(async () => {
    upstream = await startConformanceServer();
    gw = await startGateway({ allowAll: true });
    await gw.addServer('conf', upstream.url);
    token = await gw.addClient('alice');
    otherToken = await gw.addClient('bob');
  });
  afterAll(async () => {
    await gw.stop();
    await upstream.close();
  });

  async function openSession(t = token): Promise<string> {
    const res = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, t),
      body: INITIALIZE,
    });
    expect(res.status).toBe(200);
    const id = res.headers['mcp-session-id'];
    expect(typeof id).toBe('string');
    return id as string;
  }

  function errorOf(body: string): { code: number; message: string } {
    return (JSON.parse(body) as { error: { code: number; message: string } }).error;
  }

  it('refuses a request without a token with 401 and says how to get one', async () => {
    const headers = mcpHeaders(gw.port, 'x');
    delete headers.authorization;
    const res = await rawRequest(gw.port, { path: '/mcp/conf', headers, body: INITIALIZE });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('Bearer');
    expect(errorOf(res.body).message).toContain('gatehouse client add');
  });

  it('refuses a wrong token and a token given in the query string', async () => {
    const wrong = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, 'ghc_wrong'),
      body: INITIALIZE,
    });
    expect(wrong.status).toBe(401);
    const headers = mcpHeaders(gw.port, token);
    delete headers.authorization;
    const query = await rawRequest(gw.port, {
      path: `/mcp/conf?token=${token}&access_token=${token}`,
      headers,
      body: INITIALIZE,
    });
    expect(query.status).toBe(401);
  });

  it('refuses a revoked token and closes the revoked client’s sessions', async () => {
    const carolToken = await gw.addClient('carol');
    const session = await openSession(carolToken);
    await gw.core.services['clients.revoke']({ name: 'carol' });
    const res = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, carolToken, { 'mcp-session-id': session }),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(gw.core.gateway.sessions.get(session)).toBeUndefined();
  });

  it.each([
    ['evil.example.com'],
    ['localhost.evil.com'],
    ['127.0.0.1.nip.io'],
    ['LOCALHOST:PORT'],
    ['localhost.:PORT'],
    ['127.1:PORT'],
    ['0.0.0.0:PORT'],
    ['[::ffff:127.0.0.1]:PORT'],
    ['127.0.0.1:1'],
  ])('refuses Host %s with 403', async (host) => {
    const res = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: { ...mcpHeaders(gw.port, token), host: host.replace('PORT', String(gw.port)) },
      body: INITIALIZE,
    });
    expect(res.status).toBe(403);
    expect(errorOf(res.body).message).toContain('Host');
  });

  it('refuses two Host headers', async () => {
    const headers = Object.entries(mcpHeaders(gw.port, token));
    headers.push(['host', 'evil.example.com']);
    const res = await rawRequest(gw.port, { path: '/mcp/conf', headers, body: INITIALIZE });
    expect(res.status).toBe(403);
  });

  it.each([
    ['null'],
    ['http://evil.example.com'],
    ['http://localhost:1'],
    ['file://'],
    ['https://127.0.0.1:PORT'],
  ])('refuses Origin %s with 403', async (origin) => {
    const res = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, token, { origin: origin.replace('PORT', String(gw.port)) }),
      body: INITIALIZE,
    });
    expect(res.status).toBe(403);
    expect(errorOf(res.body).message).toContain('Origin');
  });

  it('refuses Sec-Fetch-Site: cross-site', async () => {
    const res = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, token, { 'sec-fetch-site': 'cross-site' }),
      body: INITIALIZE,
    });
    expect(res.status).toBe(403);
  });

  it('accepts the gateway’s own origin', async () => {
    const res = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, token, { origin: `http://localhost:${gw.port}` }),
      body: INITIALIZE,
    });
    expect(res.status).toBe(200);
  });

  it('refuses a body over 4 MiB with 413 and keeps serving', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'ping',
      params: { pad: 'x'.repeat(4 * 1024 * 1024) },
    });
    const res = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, token),
      body: big,
    });
    expect(res.status).toBe(413);
    expect(
      (
        await rawRequest(gw.port, {
          path: '/mcp/conf',
          headers: mcpHeaders(gw.port, token),
          body: INITIALIZE,
        })
      ).status,
    ).toBe(200);
  });

  it('answers malformed JSON with 400 and -32700', async () => {
    const res = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, token),
      body: '{"jsonrpc":',
    });
    expect(res.status).toBe(400);
    expect(errorOf(res.body).code).toBe(-32700);
  });

  it('refuses batches and non-JSON-RPC bodies with 400 -32600', async () => {
    const batch = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, token),
      body: `[${INITIALIZE}]`,
    });
    expect(batch.status).toBe(400);
    expect(errorOf(batch.body).code).toBe(-32600);
    const shape = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, token),
      body: '{"hello":1}',
    });
    expect(shape.status).toBe(400);
  });

  it('refuses CSRF-style simple requests (text/plain, form) with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await rawRequest(gw.port, {
        path: '/mcp/conf',
        headers: mcpHeaders(gw.port, token, { 'content-type': type }),
        body: INITIALIZE,
      });
      expect(res.status).toBe(415);
    }
  });

  it('answers an unknown session with 404 and a missing one with 400', async () => {
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const unknown = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, token, { 'mcp-session-id': 'no-such-session' }),
      body: list,
    });
    expect(unknown.status).toBe(404);
    const missing = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, token),
      body: list,
    });
    expect(missing.status).toBe(400);
  });

  it('answers a session used with another client’s token with 404', async () => {
    const session = await openSession(token);
    const res = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, otherToken, { 'mcp-session-id': session }),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(res.status).toBe(404);
  });

  it('refuses an unsupported MCP-Protocol-Version with 400', async () => {
    const session = await openSession();
    const res = await rawRequest(gw.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, token, {
        'mcp-session-id': session,
        'mcp-protocol-version': '1999-01-01',
      }),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(res.status).toBe(400);
    expect(errorOf(res.body).message).toContain('Unsupported protocol version');
  });

  it('answers unknown servers with 404, other methods with 405 and a GET without SSE accept with 406', async () => {
    const unknown = await rawRequest(gw.port, {
      path: '/mcp/nope',
      headers: mcpHeaders(gw.port, token),
      body: INITIALIZE,
    });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body).message).toContain('Unknown server');
    const put = await rawRequest(gw.port, {
      method: 'PUT',
      path: '/mcp/conf',
      headers: mcpHeaders(gw.port, token),
      body: INITIALIZE,
    });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, POST, DELETE');
    const session = await openSession();
    const get = await rawRequest(gw.port, {
      method: 'GET',
      path: '/mcp/conf',
      headers: { ...mcpHeaders(gw.port, token, { 'mcp-session-id': session }), accept: 'application/json' },
    });
    expect(get.status).toBe(406);
  });

  it('refuses a second GET stream with 409 and the session survives', async () => {
    const { client, transport } = await gw.connect('conf', token);
    await client.listTools();
    const session = transport.sessionId!;
    // The SDK client holds the standalone GET stream open; wait until the gateway sees it.
    const deadline = Date.now() + 5_000;
    while (!gw.core.gateway.sessions.get(session)?.hasAttachedStream && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const second = await rawRequest(gw.port, {
      method: 'GET',
      path: '/mcp/conf',
      headers: { ...mcpHeaders(gw.port, token, { 'mcp-session-id': session }), accept: 'text/event-stream' },
    });
    expect(second.status).toBe(409);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('forwards the client’s identity marked as relayed, and lists and terminates its session', async () => {
    const { client, transport } = await gw.connect('conf', token);
    expect(upstream.seenClients().at(-1)).toEqual({ name: 'gatehouse-test via Gatehouse', version: '1.0.0' });
    const status = await gw.core.services['status.get']();
    expect(status).toMatchObject({ state: 'listening', url: gw.url, port: gw.port });
    const sessions = await gw.core.services['sessions.list']();
    const mine = sessions.find((s) => s.id === transport.sessionId);
    expect(mine).toMatchObject({
      client: 'alice',
      server: 'conf',
      clientInfo: { name: 'gatehouse-test', version: '1.0.0' },
    });
    await gw.core.services['sessions.terminate']({ id: transport.sessionId! });
    await expect(client.listTools()).rejects.toThrow(/404|Session not found/);
  });

  it('never forwards the client token upstream and never logs it', async () => {
    const { client } = await gw.connect('conf', token);
    await client.callTool({ name: 'test_simple_text', arguments: {} });
    expect(upstream.seenAuthorization().some((h) => h?.includes(token))).toBe(false);
    expect(gw.logs.join('\n')).not.toContain(token);
  });
});
