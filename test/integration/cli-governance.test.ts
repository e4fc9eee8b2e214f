import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startToolRiskServer, type ToolRiskServer } from '../fixtures/tool-risk-server.ts';
import { runGatehouse, startServe, type ServeProcess } from './support/gatehouse-process.ts';
import { rawRequest } from './support/raw-http.ts';
import { readAdminToken } from '../../electron/main/headless/admin-token.ts';

/** Policy, approvals and pause driven by the `gatehouse` command against a running `gatehouse serve`. */
describe('gatehouse policy, approvals and pause commands', () => {
  let dataDir: string;
  let upstream: ToolRiskServer;
  let serve: ServeProcess;
  let token: string;
  let client: Client;
  const cli = (...args: string[]) => runGatehouse([...args, '--data-dir', dataDir]);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-gov-'));
    upstream = await startToolRiskServer();
    expect((await cli('server', 'add', 'risky', upstream.url)).code).toBe(0);
    token = /(ghc_[A-Za-z0-9_-]+)/.exec((await cli('client', 'add', 'agent')).stdout)![1]!;
    serve = await startServe(dataDir);
    client = new Client({ name: 'agent', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${serve.url}/mcp/risky`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await client?.close().catch(() => {});
    await serve?.stop('SIGTERM');
    await upstream?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The rules the serving process itself enforces (its admin API), to wait for its settings watcher. */
  async function servingState(): Promise<{ rules: string[] }> {
    const res = await fetch(`${serve.url}/api/policy.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${readAdminToken(dataDir)}` },
      body: '{}',
    });
    const rules = ((await res.json()) as { result: { id: string }[] }).result;
    return { rules: rules.map((r) => r.id) };
  }

  async function waitForApproval(): Promise<{ id: string; tool: string }> {
    for (let i = 0; i < 100; i++) {
      const listed = await cli('approvals', 'list', '--json');
      const pending = JSON.parse(listed.stdout) as { id: string; tool: string }[];
      if (pending.length > 0) return pending[0]!;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no approval appeared');
  }

  it('answers a held call from the command line', async () => {
    const pending = client.callTool({ name: 'delete_repo', arguments: { repo: 'acme/site' } });
    const approval = await waitForApproval();
    expect(approval.tool).toBe('delete_repo');
    const answered = await cli('approvals', 'answer', approval.id, 'allow-once');
    expect(answered.code).toBe(0);
    expect(JSON.stringify((await pending).content)).toContain('delete_repo ran');
    const audit = await cli('audit', '--json', '--tool', 'delete_repo');
    expect(JSON.parse(audit.stdout)).toMatchObject([
      { tool: 'delete_repo', decision: 'ask', approvalAnswer: 'allow-once', outcome: 'ok' },
    ]);
  });

  it('applies rules and pause set from the command line while serving', async () => {
    const added = await cli(
      'policy',
      'add',
      '--action',
      'deny',
      '--tool',
      'write_file',
      '--arg',
      '/path=/etc/*',
      '--note',
      'not in etc',
    );
    expect(added.code).toBe(0);
    const id = added.stdout.trim();
    expect(id).toMatch(/^r_/);
    await expect.poll(async () => (await servingState()).rules).toContain(id);
    await expect
      .poll(
        async () =>
          (await client.callTool({ name: 'write_file', arguments: { path: '/etc/passwd', content: 'x' } }))
            .isError,
      )
      .toBe(true);
    expect((await cli('policy', 'remove', id)).code).toBe(0);
    const allow = (await cli('policy', 'add', '--action', 'allow', '--tool', 'create_issue')).stdout.trim();
    await expect.poll(async () => (await servingState()).rules).toEqual([allow]);
    expect((await cli('pause', '--mode', 'deny', '--for', '15m')).code).toBe(0);
    await expect
      .poll(
        async () =>
          (await client.callTool({ name: 'create_issue', arguments: { repo: 'r', title: 't' } })).isError,
      )
      .toBe(true);
    expect((await cli('resume')).code).toBe(0);
    await expect
      .poll(
        async () =>
          (await client.callTool({ name: 'create_issue', arguments: { repo: 'r', title: 't' } })).isError ??
          false,
      )
      .toBe(false);
    expect(upstream.calls.some((c) => c.tool === 'write_file')).toBe(false);
  });

  it('verifies and exports the audit log', async () => {
    const verified = await cli('audit', 'verify');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/intact/i);
    const out = path.join(dataDir, 'export.csv');
    expect((await cli('audit', 'export', '--format', 'csv', '--out', out)).code).toBe(0);
    const csv = fs.readFileSync(out, 'utf8');
    expect(csv.split('\n')[0]).toContain('tool');
    expect(csv).toContain('delete_repo');
  });

  it('refuses MCP client tokens and missing tokens on the admin API', async () => {
    const body = JSON.stringify({ input: undefined });
    const headers = { host: `127.0.0.1:${serve.port}`, 'content-type': 'application/json' };
    const asClient = await rawRequest(serve.port, {
      path: '/api/approvals.list',
      headers: { ...headers, authorization: `Bearer ${token}` },
      body,
    });
    expect(asClient.status).toBe(403);
    expect((await rawRequest(serve.port, { path: '/api/approvals.list', headers, body })).status).toBe(401);
    const foreign = await rawRequest(serve.port, {
      path: '/api/approvals.list',
      headers: { ...headers, origin: 'http://evil.example.com', authorization: 'Bearer whatever' },
      body,
    });
    expect(foreign.status).toBe(403);
  });

  it('says clearly when no Gatehouse serves the folder', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-idle-'));
    const result = await runGatehouse(['approvals', 'list', '--data-dir', other]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Gatehouse is not running');
  });
});
