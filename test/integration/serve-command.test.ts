import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startConformanceServer } from '../fixtures/conformance-server.ts';
import { runGatehouse, startServe, type ServeProcess } from './support/gatehouse-process.ts';
import { INITIALIZE, mcpHeaders, rawRequest } from './support/raw-http.ts';

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function tokenFrom(stdout: string): string {
  const match = /(ghc_[A-Za-z0-9_-]+)/.exec(stdout);
  if (!match) throw new Error(`no token in: ${stdout}`);
  return match[1]!;
}

/** `gatehouse serve` and the other commands as real processes on a real data folder. */
describe('gatehouse serve', () => {
  let dataDir: string;
  let upstream: Awaited<ReturnType<typeof startConformanceServer>>;
  let serve: ServeProcess;
  let token: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-serve-'));
    upstream = await startConformanceServer();
    token = tokenFrom((await runGatehouse(['client', 'add', 'cli-test', '--data-dir', dataDir])).stdout);
    serve = await startServe(dataDir);
  }, 60_000);
  afterAll(async () => {
    await serve?.stop('SIGKILL');
    await upstream?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second process on the same data folder and says who holds it', async () => {
    const second = await runGatehouse(['serve', '--port', '0', '--data-dir', dataDir]);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`pid ${serve.child.pid}`);
    expect(second.stderr).toContain(serve.url);
  });

  it('applies servers added by the CLI while serving, without a restart', async () => {
    const added = await runGatehouse([
      'server',
      'add',
      'conf',
      upstream.url,
      '--header',
      'X-Api-Key: sk-live-canary-123',
      '--data-dir',
      dataDir,
    ]);
    expect(added.code).toBe(0);
    expect(added.stdout).not.toContain('sk-live-canary-123');
    await until(async () => {
      const res = await rawRequest(serve.port, {
        path: '/mcp/conf',
        headers: mcpHeaders(serve.port, token),
        body: INITIALIZE,
      });
      return res.status === 200;
    });
    const transport = new StreamableHTTPClientTransport(new URL(`${serve.url}/mcp/conf`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    const client = new Client({ name: 'cli-test', version: '1' });
    await client.connect(transport);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
    const list = await runGatehouse(['server', 'list', '--json', '--data-dir', dataDir]);
    expect(list.stdout).not.toContain('sk-live-canary-123');
    expect(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).not.toContain('sk-live-canary-123');
    expect(serve.output()).not.toContain('sk-live-canary-123');
  });

  it('stops accepting a revoked client at once', async () => {
    const other = tokenFrom(
      (await runGatehouse(['client', 'add', 'short-lived', '--data-dir', dataDir])).stdout,
    );
    const initializeStatus = async () =>
      (
        await rawRequest(serve.port, {
          path: '/mcp/conf',
          headers: mcpHeaders(serve.port, other),
          body: INITIALIZE,
        })
      ).status;
    await until(async () => (await initializeStatus()) === 200);
    expect((await runGatehouse(['client', 'revoke', 'short-lived', '--data-dir', dataDir])).code).toBe(0);
    await until(async () => (await initializeStatus()) === 401);
  });

  it('reports a taken port instead of picking another one', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-port-'));
    const result = await runGatehouse(['serve', '--port', String(port), '--data-dir', otherDir]);
    blocker.close();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(fs.existsSync(path.join(otherDir, 'gatehouse.lock'))).toBe(false);
  });

  it('shuts down cleanly on SIGTERM, deleting upstream sessions', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(`${serve.url}/mcp/conf`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    const client = new Client({ name: 'cli-test', version: '1' });
    await client.connect(transport);
    const before = upstream.liveSessions();
    expect(before).toBeGreaterThan(0);
    const code = await serve.stop('SIGTERM');
    expect(code).toBe(0);
    expect(serve.output()).toContain('Gatehouse stopped.');
    expect(upstream.liveSessions()).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'gatehouse.lock'))).toBe(false);
    serve = await startServe(dataDir); // the folder is free again
  });

  it('expires idle sessions and deletes them upstream', async () => {
    expect(
      (await runGatehouse(['config', 'set', 'sessions.idleMinutes', '0.02', '--data-dir', dataDir])).code,
    ).toBe(0);
    await serve.stop('SIGTERM');
    serve = await startServe(dataDir);
    const open = await rawRequest(serve.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(serve.port, token),
      body: INITIALIZE,
    });
    const session = open.headers['mcp-session-id'] as string;
    const live = upstream.liveSessions();
    await until(() => upstream.liveSessions() === live - 1, 15_000);
    const after = await rawRequest(serve.port, {
      path: '/mcp/conf',
      headers: mcpHeaders(serve.port, token, { 'mcp-session-id': session }),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(after.status).toBe(404);
  });
});
