import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CallToolResultSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { PendingApproval } from '../../shared/schemas/approvals.ts';
import { startToolRiskServer, type ToolRiskServer } from '../fixtures/tool-risk-server.ts';
import { startGateway, type GatewayHarness } from './support/gateway-harness.ts';

/** Policy, approvals and audit through the real gateway to a real upstream with risky tools. */
describe('policy and approvals', () => {
  let gw: GatewayHarness;
  let upstream: ToolRiskServer;
  let token: string;

  beforeAll(async () => {
    upstream = await startToolRiskServer();
    gw = await startGateway({ core: { approvalProgressMs: 300 } });
    await gw.addServer('risky', upstream.url);
    token = await gw.addClient('agent');
  });
  afterAll(async () => {
    await gw?.stop();
    await upstream?.close();
  });
  beforeEach(async () => {
    upstream.calls.length = 0;
    for (const rule of await gw.core.services['policy.list']())
      await gw.core.services['policy.remove']({ id: rule.id });
    await gw.core.services['policy.resume']();
  });

  /** Resolves with the next approval that appears for `tool`. */
  function nextApproval(tool: string): Promise<PendingApproval> {
    return new Promise((resolve) => {
      const check = async () => {
        const found = (await gw.core.services['approvals.list']()).find((a) => a.tool === tool);
        if (found) {
          sub.dispose();
          resolve(found);
        }
      };
      const sub = gw.core.services.onDidChange((e) => void (e.type === 'approvals-changed' && check()));
      void check();
    });
  }

  async function call(client: Client, name: string, args: Record<string, unknown>, options = {}) {
    return client.request(
      { method: 'tools/call', params: { name, arguments: args } },
      CallToolResultSchema,
      options,
    );
  }

  function text(result: { content: unknown }): string {
    return JSON.stringify(result.content);
  }

  it('allows read-only tools by default and audits the call', async () => {
    const { client } = await gw.connect('risky', token);
    const result = await call(client, 'read_file', { path: '/etc/hosts' });
    expect(text(result)).toContain('read_file ran');
    const page = await gw.core.services['audit.query']({ tool: 'read_file' });
    expect(page.records[0]).toMatchObject({
      client: 'agent',
      server: 'risky',
      tool: 'read_file',
      decision: 'allow',
      outcome: 'ok',
    });
  });

  it('asks for a destructive tool and runs it once when allowed once', async () => {
    const { client } = await gw.connect('risky', token);
    const pending = call(client, 'delete_repo', { repo: 'acme/site' });
    const approval = await nextApproval('delete_repo');
    expect(approval).toMatchObject({
      client: 'agent',
      server: 'risky',
      risk: 'destructive',
      arguments: { repo: 'acme/site' },
    });
    expect(upstream.calls).toEqual([]);
    await gw.core.services['approvals.answer']({ id: approval.id, answer: { kind: 'allow-once' } });
    expect(text(await pending)).toContain('delete_repo ran');
    expect(upstream.calls).toEqual([{ tool: 'delete_repo', args: { repo: 'acme/site' } }]);
    const record = (await gw.core.services['audit.query']({ tool: 'delete_repo' })).records[0];
    expect(record).toMatchObject({ decision: 'ask', approvalAnswer: 'allow-once', outcome: 'ok' });
  });

  it('never forwards a denied call and tells the model why', async () => {
    const { client } = await gw.connect('risky', token);
    const pending = call(client, 'delete_repo', { repo: 'acme/site' });
    const approval = await nextApproval('delete_repo');
    await gw.core.services['approvals.answer']({ id: approval.id, answer: { kind: 'deny', always: false } });
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/denied/i);
    expect(upstream.calls).toEqual([]);
    expect((await gw.core.services['audit.query']({ tool: 'delete_repo' })).records[0]).toMatchObject({
      approvalAnswer: 'deny',
      outcome: 'denied',
    });
  });

  it('remembers "allow for this session" only in that session', async () => {
    const { client } = await gw.connect('risky', token);
    const first = call(client, 'write_file', { path: 'a', content: 'x' });
    await gw.core.services['approvals.answer']({
      id: (await nextApproval('write_file')).id,
      answer: { kind: 'allow-session' },
    });
    await first;
    await call(client, 'write_file', { path: 'b', content: 'y' }); // no approval needed now
    expect(upstream.calls.map((c) => c.args.path)).toEqual(['a', 'b']);
    const { client: other } = await gw.connect('risky', token);
    const third = call(other, 'write_file', { path: 'c', content: 'z' });
    const approval = await nextApproval('write_file');
    await gw.core.services['approvals.answer']({ id: approval.id, answer: { kind: 'allow-once' } });
    await third;
  });

  it('turns "always allow, only these arguments" into a rule', async () => {
    const { client } = await gw.connect('risky', token);
    const first = call(client, 'create_issue', { repo: 'acme/site', title: 'bug' });
    const approval = await nextApproval('create_issue');
    await gw.core.services['approvals.answer']({
      id: approval.id,
      answer: { kind: 'allow-always', onlyTheseArguments: true, expiresInMinutes: 120 },
    });
    await first;
    const rules = await gw.core.services['policy.list']();
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      action: 'allow',
      server: 'risky',
      tool: 'create_issue',
      client: 'agent',
      source: 'approval',
    });
    await call(client, 'create_issue', { repo: 'acme/site', title: 'bug' }); // same arguments: allowed
    const other = call(client, 'create_issue', { repo: 'acme/other', title: 'bug' }); // different: asks
    const again = await nextApproval('create_issue');
    expect(again.arguments).toEqual({ repo: 'acme/other', title: 'bug' });
    await gw.core.services['approvals.answer']({ id: again.id, answer: { kind: 'deny', always: false } });
    expect((await other).isError).toBe(true);
  });

  it('applies deny and hide rules, and tells live sessions when their tool list changes', async () => {
    const { client } = await gw.connect('risky', token);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('mystery');
    const changed = new Promise<void>((resolve) =>
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()),
    );
    await gw.core.services['policy.add']({ action: 'hide', server: 'risky', tool: 'mystery', args: [] });
    await changed;
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('mystery');
    await expect(call(client, 'mystery', {})).rejects.toThrow(/Unknown tool: mystery/);
    await gw.core.services['policy.add']({
      action: 'deny',
      tool: 'read_*',
      note: 'no reading today',
      args: [],
    });
    const denied = await call(client, 'read_file', { path: '/x' });
    expect(denied.isError).toBe(true);
    expect(text(denied)).toContain('no reading today');
    expect(upstream.calls).toEqual([]);
  });

  it('denies when nobody answers in time', async () => {
    await gw.core.services['settings.set']({ key: 'approvals.timeoutSeconds', value: 5 });
    try {
      const { client } = await gw.connect('risky', token);
      const result = await call(client, 'mystery', {});
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/no answer within 5 s/);
      expect(upstream.calls).toEqual([]);
      expect((await gw.core.services['audit.query']({ tool: 'mystery' })).records[0]).toMatchObject({
        approvalAnswer: 'timeout',
        outcome: 'denied',
      });
    } finally {
      await gw.core.services['settings.set']({ key: 'approvals.timeoutSeconds', value: 120 });
    }
  }, 15_000);

  it('withdraws the approval when the client cancels, and never forwards the call', async () => {
    const { client } = await gw.connect('risky', token);
    const abort = new AbortController();
    const pending = call(client, 'delete_repo', { repo: 'x' }, { signal: abort.signal });
    await nextApproval('delete_repo');
    abort.abort('user pressed escape');
    await expect(pending).rejects.toThrow();
    await expect.poll(async () => (await gw.core.services['approvals.list']()).length).toBe(0);
    expect(upstream.calls).toEqual([]);
    await expect
      .poll(async () => (await gw.core.services['audit.query']({ tool: 'delete_repo' })).records[0]?.outcome)
      .toBe('cancelled');
  });

  it('keeps a client with a short timeout alive with progress while the call is held', async () => {
    const { client } = await gw.connect('risky', token);
    let progress = 0;
    const pending = call(
      client,
      'delete_repo',
      { repo: 'slow' },
      {
        timeout: 1_000,
        resetTimeoutOnProgress: true,
        onprogress: () => progress++,
      },
    );
    const approval = await nextApproval('delete_repo');
    await new Promise((r) => setTimeout(r, 3_000)); // three times the client's timeout
    await gw.core.services['approvals.answer']({ id: approval.id, answer: { kind: 'allow-once' } });
    expect(text(await pending)).toContain('delete_repo ran');
    expect(progress).toBeGreaterThanOrEqual(5);
  });

  it('pauses writes (ask or deny) and resumes', async () => {
    await gw.core.services['policy.add']({
      action: 'allow',
      server: 'risky',
      tool: 'create_issue',
      args: [],
    });
    const { client } = await gw.connect('risky', token);
    await call(client, 'create_issue', { repo: 'r', title: 't' });
    await gw.core.services['policy.pause']({ mode: 'deny' });
    const denied = await call(client, 'create_issue', { repo: 'r', title: 't' });
    expect(denied.isError).toBe(true);
    expect(text(denied)).toMatch(/paused/i);
    expect(text(await call(client, 'read_file', { path: 'ok' }))).toContain('read_file ran'); // reads still pass
    await gw.core.services['policy.pause']({ mode: 'ask', forMinutes: 15 });
    const asked = call(client, 'create_issue', { repo: 'r', title: 'u' });
    await gw.core.services['approvals.answer']({
      id: (await nextApproval('create_issue')).id,
      answer: { kind: 'allow-once' },
    });
    await asked;
    await gw.core.services['policy.resume']();
    await call(client, 'create_issue', { repo: 'r', title: 'v' });
    expect(upstream.calls.filter((c) => c.tool === 'create_issue').map((c) => c.args.title)).toEqual([
      't',
      'u',
      'v',
    ]);
  });
});
