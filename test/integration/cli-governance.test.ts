import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToolRiskServer, type ToolRiskServer } from '../fixtures/tool-risk-server.ts';
import { runGatehouse } from './support/gatehouse-process.ts';
import { startServedClient, type ServedClient } from './support/served-client.ts';
import { rawRequest } from './support/raw-http.ts';
import { readAdminToken } from '../../electron/main/headless/admin-token.ts';

/** Policy, approvals and pause driven by the `gatehouse` command against a running `gatehouse serve`. */
describe('gatehouse policy, approvals and pause commands', () => {
  let upstream: ToolRiskServer;
  let gw: ServedClient;

  beforeAll(async () => {
    upstream = await startToolRiskServer();
    gw = await startServedClient({
      tmpPrefix: 'gatehouse-cli-gov-',
      server: 'risky',
      upstreamUrl: upstream.url,
    });
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
    await upstream?.close();
  });

  /** The rules the serving process itself enforces (its admin API), to wait for its settings watcher. */
  async function servingState(): Promise<{ rules: string[] }> {
    const res = await fetch(`${gw.serve.url}/api/policy.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${readAdminToken(gw.dataDir)}` },
      body: '{}',
    });
    const rules = ((await res.json()) as { result: { id: string }[] }).result;
    return { rules: rules.map((r) => r.id) };
  }

  async function waitForApproval(): Promise<{ id: string; tool: string }> {
    for (let i = 0; i < 100; i++) {
      const listed = await gw.cli('approvals', 'list', '--json');
      const pending = JSON.parse(listed.stdout) as { id: string; tool: string }[];
      if (pending.length > 0) return pending[0]!;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no approval appeared');
  }

  it('answers a held call from the command line', async () => {
    const pending = gw.client.callTool({ name: 'delete_repo', arguments: { repo: 'acme/site' } });
    const approval = await waitForApproval();
    expect(approval.tool).toBe('delete_repo');
    const answered = await gw.cli('approvals', 'answer', approval.id, 'allow-once');
    expect(answered.code).toBe(0);
    expect(JSON.stringify((await pending).content)).toContain('delete_repo ran');
    const audit = await gw.cli('audit', '--json', '--tool', 'delete_repo');
    expect(JSON.parse(audit.stdout)).toMatchObject([
      { tool: 'delete_repo', decision: 'ask', approvalAnswer: 'allow-once', outcome: 'ok' },
    ]);
  });

  it('applies rules and pause set from the command line while serving', async () => {
    const added = await gw.cli(
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
          (await gw.client.callTool({ name: 'write_file', arguments: { path: '/etc/passwd', content: 'x' } }))
            .isError,
      )
      .toBe(true);
    expect((await gw.cli('policy', 'remove', id)).code).toBe(0);
    const allow = (
      await gw.cli('policy', 'add', '--action', 'allow', '--tool', 'create_issue')
    ).stdout.trim();
    await expect.poll(async () => (await servingState()).rules).toEqual([allow]);
    expect((await gw.cli('pause', '--mode', 'deny', '--for', '15m')).code).toBe(0);
    await expect
      .poll(
        async () =>
          (await gw.client.callTool({ name: 'create_issue', arguments: { repo: 'r', title: 't' } })).isError,
      )
      .toBe(true);
    expect((await gw.cli('resume')).code).toBe(0);
    await expect
      .poll(
        async () =>
          (await gw.client.callTool({ name: 'create_issue', arguments: { repo: 'r', title: 't' } }))
            .isError ?? false,
      )
      .toBe(false);
    expect(upstream.calls.some((c) => c.tool === 'write_file')).toBe(false);
  });

  it('verifies and exports the audit log', async () => {
    const verified = await gw.cli('audit', 'verify');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/intact/i);
    const out = path.join(gw.dataDir, 'export.csv');
    expect((await gw.cli('audit', 'export', '--format', 'csv', '--out', out)).code).toBe(0);
    const csv = fs.readFileSync(out, 'utf8');
    expect(csv.split('\n')[0]).toContain('tool');
    expect(csv).toContain('delete_repo');
  });

  it('refuses MCP client tokens and missing tokens on the admin API', async () => {
    const body = JSON.stringify({ input: undefined });
    const headers = { host: `127.0.0.1:${gw.serve.port}`, 'content-type': 'application/json' };
    const asClient = await rawRequest(gw.serve.port, {
      path: '/api/approvals.list',
      headers: { ...headers, authorization: `Bearer ${gw.token}` },
      body,
    });
    expect(asClient.status).toBe(403);
    expect((await rawRequest(gw.serve.port, { path: '/api/approvals.list', headers, body })).status).toBe(
      401,
    );
    const foreign = await rawRequest(gw.serve.port, {
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
