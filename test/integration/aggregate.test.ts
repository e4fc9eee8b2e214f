import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  ListToolsResultSchema,
  LoggingMessageNotificationSchema,
  McpError,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { PendingApproval } from '../../shared/schemas/approvals.ts';
import { startMutableServer, type MutableServer } from '../fixtures/mutable-server.ts';
import { startToolRiskServer, type ToolRiskServer } from '../fixtures/tool-risk-server.ts';
import { getFreePort } from '../helpers/free-port.ts';
import { waitFor } from '../helpers/wait.ts';
import { startGateway, type GatewayHarness } from './support/gateway-harness.ts';
import { INITIALIZE, mcpHeaders, rawRequest } from './support/raw-http.ts';

/** An SDK client on the aggregated endpoint, recording the notifications it gets. */
interface AggregateClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  logs: string[];
  toolsChanged: number;
}

/**
 * The aggregated endpoint `/mcp` through the real gateway to real upstreams: two live ones (one with
 * risky tools for policy, one mutable) and one that is down at first.
 */
describe('aggregated endpoint /mcp', () => {
  let gw: GatewayHarness;
  let risky: ToolRiskServer;
  let mutable: MutableServer;
  let later: MutableServer | undefined;
  let laterPort: number;
  let token: string;

  beforeAll(async () => {
    risky = await startToolRiskServer();
    mutable = await startMutableServer({
      tools: [{ name: 'echo', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }],
      prompts: [{ name: 'greet', text: 'hello from mutable' }],
    });
    laterPort = await getFreePort();
    gw = await startGateway({ core: { approvalProgressMs: 300, aggregateRetryMs: 100 } });
    await gw.addServer('risky', risky.url);
    await gw.addServer('mutable', mutable.url);
    await gw.addServer('later', `http://127.0.0.1:${laterPort}/mcp`);
    token = await gw.addClient('agent');
  });
  afterAll(async () => {
    await gw?.stop();
    await risky?.close();
    await mutable?.close();
    await later?.close();
  });

  async function connectAll(bearer: string): Promise<AggregateClient> {
    const seen = { logs: [] as string[], toolsChanged: 0 };
    const { client, transport } = await gw.connectAggregate(bearer, {
      setup: (c) => {
        c.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
          seen.logs.push(String(n.params.data));
        });
        c.setNotificationHandler(ToolListChangedNotificationSchema, () => {
          seen.toolsChanged++;
        });
      },
    });
    return Object.assign(seen, { client, transport });
  }

  async function toolNames(client: Client): Promise<string[]> {
    return (await client.listTools()).tools.map((t) => t.name).sort();
  }

  async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
    return client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema);
  }

  function nextApproval(tool: string): Promise<PendingApproval> {
    return waitFor(
      async () => (await gw.core.services['approvals.list']()).find((a) => a.tool === tool),
      10_000,
    );
  }

  it('lists namespaced tools of the live servers, reports the dead one, and relays calls', async () => {
    const agg = await connectAll(token);
    expect(agg.client.getServerVersion()?.name).toBe('gatehouse');
    expect(agg.client.getInstructions()).toContain('later');
    const listed = await agg.client.request({ method: 'tools/list', params: {} }, ListToolsResultSchema);
    const names = listed.tools.map((t) => t.name);
    expect(names).toContain('mutable__echo');
    expect(names).toContain('risky__read_file');
    expect(names.some((n) => n.startsWith('later__'))).toBe(false);
    expect(listed._meta?.['dev.gatehouse/unavailable']).toEqual(
      expect.arrayContaining([expect.objectContaining({ server: 'later' })]),
    );
    await waitFor(() => agg.logs.find((l) => l.includes('"later"')), 10_000);

    const result = await call(agg.client, 'mutable__echo', { say: 'hi' });
    expect(JSON.stringify(result.content)).toContain('echo ran');
    expect(mutable.calls.at(-1)).toEqual({ tool: 'echo', args: { say: 'hi' } });
    const record = (await gw.core.services['audit.query']({ tool: 'echo' })).records[0];
    expect(record).toMatchObject({ client: 'agent', server: 'mutable', tool: 'echo', decision: 'allow' });

    const down = await call(agg.client, 'later__anything').catch((e: unknown) => e);
    expect(down).toBeInstanceOf(McpError);
    expect((down as McpError).code).toBe(-32010);
    expect((down as McpError).message).toContain('Server "later" is unavailable');
    const unknown = await call(agg.client, 'nosuch__tool').catch((e: unknown) => e);
    expect((unknown as McpError).code).toBe(-32602);

    const prompt = await agg.client.getPrompt({ name: 'mutable__greet' });
    expect(JSON.stringify(prompt.messages)).toContain('hello from mutable');
    expect((await agg.client.listPrompts()).prompts.map((p) => p.name)).toContain('mutable__greet');
  });

  it('applies a deny rule and an approval per member server, and audits both', async () => {
    const agg = await connectAll(token);
    const rule = await gw.core.services['policy.add']({
      action: 'deny',
      server: 'risky',
      tool: 'read_file',
      note: 'aggregate test',
      args: [],
    });
    try {
      const denied = await call(agg.client, 'risky__read_file', { path: '/etc/hosts' });
      expect(denied.isError).toBe(true);
      expect(risky.calls.some((c) => c.tool === 'read_file')).toBe(false);
      expect((await gw.core.services['audit.query']({ tool: 'read_file' })).records[0]).toMatchObject({
        server: 'risky',
        decision: 'deny',
        outcome: 'denied',
      });
    } finally {
      await gw.core.services['policy.remove']({ id: rule.id });
    }

    const pending = call(agg.client, 'risky__delete_repo', { repo: 'acme/site' });
    const approval = await nextApproval('delete_repo');
    expect(approval).toMatchObject({ client: 'agent', server: 'risky', tool: 'delete_repo' });
    await gw.core.services['approvals.answer']({ id: approval.id, answer: { kind: 'allow-once' } });
    expect(JSON.stringify((await pending).content)).toContain('delete_repo ran');
    expect((await gw.core.services['audit.query']({ tool: 'delete_repo' })).records[0]).toMatchObject({
      server: 'risky',
      decision: 'ask',
      approvalAnswer: 'allow-once',
      outcome: 'ok',
    });
  });

  it('re-emits list_changed when a member changes, and pinning holds the new tool until accepted', async () => {
    const agg = await connectAll(token);
    await toolNames(agg.client);
    const before = agg.toolsChanged;
    mutable.setTools(
      [
        { name: 'echo', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } },
        { name: 'fresh', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } },
      ],
      { notify: true },
    );
    await waitFor(() => agg.toolsChanged > before, 10_000);
    // A new tool after the first list is held by pinning, exactly as on /mcp/mutable.
    const change = await waitFor(
      async () =>
        (await gw.core.services['changes.list']({ server: 'mutable' })).find((c) => c.name === 'fresh'),
      10_000,
    );
    expect(await toolNames(agg.client)).not.toContain('mutable__fresh');
    await gw.core.services['changes.accept']({ id: change.id });
    expect(await toolNames(agg.client)).toContain('mutable__fresh');
  });

  it('brings a server that was down into the session when it comes back', async () => {
    const agg = await connectAll(token);
    expect((await toolNames(agg.client)).some((n) => n.startsWith('later__'))).toBe(false);
    const before = agg.toolsChanged;
    later = await startMutableServer({
      port: laterPort,
      tools: [{ name: 'late', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }],
    });
    await waitFor(() => agg.toolsChanged > before, 15_000);
    await waitFor(async () => (await toolNames(agg.client)).includes('later__late'), 10_000);
    expect(agg.logs.some((l) => l.includes('"later" is available again'))).toBe(true);
    const result = await call(agg.client, 'later__late');
    expect(JSON.stringify(result.content)).toContain('late ran');
  });

  it('refuses a forbidden server with 403 and leaves it out of /mcp', async () => {
    const limited = await gw.addClient('limited');
    await gw.core.services['clients.update']({ name: 'limited', servers: ['mutable'] });
    const res = await rawRequest(gw.port, {
      path: '/mcp/risky',
      headers: mcpHeaders(gw.port, limited),
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(res.status).toBe(403);
    const body = res.json() as { error: { message: string } };
    expect(body.error.message).toContain('may not use server "risky"');

    const agg = await connectAll(limited);
    const names = await toolNames(agg.client);
    expect(names).toContain('mutable__echo');
    expect(names.some((n) => n.startsWith('risky__'))).toBe(false);
    const refused = await call(agg.client, 'risky__read_file', { path: 'x' }).catch((e: unknown) => e);
    expect((refused as McpError).code).toBe(-32602);
    expect(
      gw.core.gateway.sessions
        .all()
        .filter((s) => s.info.clientName === 'limited')
        .map((s) => s.info.serverName),
    ).toEqual(['mutable']);
  });

  it('applies a narrowed server list to live sessions at once', async () => {
    const shrinking = await gw.addClient('shrinking');
    const agg = await connectAll(shrinking);
    await gw.connect('risky', shrinking);
    expect(await toolNames(agg.client)).toContain('risky__read_file');
    const live = () =>
      gw.core.gateway.sessions
        .all()
        .filter((s) => s.info.clientName === 'shrinking')
        .map((s) => `${s.aggregateId ? 'member' : 'direct'}:${s.info.serverName}`)
        .sort();
    expect(live()).toEqual(['direct:risky', 'member:later', 'member:mutable', 'member:risky']);
    const before = agg.toolsChanged;
    await gw.core.services['clients.update']({ name: 'shrinking', servers: ['mutable'] });
    await waitFor(() => live().join() === 'member:mutable', 10_000);
    await waitFor(() => agg.toolsChanged > before, 10_000);
    const narrowed = await toolNames(agg.client);
    expect(narrowed).toContain('mutable__echo');
    expect(narrowed.every((n) => n.startsWith('mutable__'))).toBe(true);
    await gw.core.services['clients.update']({ name: 'shrinking', servers: null });
    await waitFor(async () => (await toolNames(agg.client)).includes('risky__read_file'), 10_000);
  });

  it('hides tools outside the client tool filter on /mcp and /mcp/<server>, and refuses calls to them', async () => {
    const filtered = await gw.addClient('filtered');
    await gw.core.services['clients.update']({ name: 'filtered', toolFilter: ['risky__read_*', 'echo'] });
    const agg = await connectAll(filtered);
    const names = await toolNames(agg.client);
    expect(names).toContain('risky__read_file');
    expect(names).toContain('mutable__echo');
    expect(names.some((n) => n.startsWith('risky__') && !n.startsWith('risky__read_'))).toBe(false);
    const refused = await call(agg.client, 'risky__delete_repo', { repo: 'x' }).catch((e: unknown) => e);
    expect((refused as McpError).code).toBe(-32602);
    expect((refused as McpError).message).toContain('Unknown tool: risky__delete_repo');
    expect(risky.calls.some((c) => c.tool === 'delete_repo' && c.args.repo === 'x')).toBe(false);
    // Refused by the filter is audited like a hide rule, on the member session of the aggregate.
    const audited = async () =>
      (await gw.core.services['audit.query']({ client: 'filtered', tool: 'delete_repo' })).records;
    const filterRecord = {
      client: 'filtered',
      server: 'risky',
      tool: 'delete_repo',
      decision: 'hide',
      outcome: 'denied',
      risk: 'destructive',
      args: { repo: 'x' },
      detail: { reason: `not in client "filtered"'s tool filter` },
    };
    const [fromAggregate] = await audited();
    expect(fromAggregate).toMatchObject({ ...filterRecord, session: `${agg.transport.sessionId}.risky` });
    expect(fromAggregate?.ruleId).toBeUndefined();

    const { client: direct, transport: directTransport } = await gw.connect('risky', filtered);
    const direct1 = (await direct.listTools()).tools.map((t) => t.name);
    expect(direct1.every((n) => n.startsWith('read_'))).toBe(true);
    const refusedDirect = await call(direct, 'delete_repo', { repo: 'x' }).catch((e: unknown) => e);
    expect((refusedDirect as McpError).code).toBe(-32602);
    expect((refusedDirect as McpError).message).toContain('Unknown tool: delete_repo');
    const records = await audited();
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ ...filterRecord, session: directTransport.sessionId });

    // Widening the filter tells live sessions to list again.
    const before = agg.toolsChanged;
    await gw.core.services['clients.update']({ name: 'filtered', toolFilter: null });
    await waitFor(() => agg.toolsChanged > before, 10_000);
    expect(await toolNames(agg.client)).toContain('risky__delete_repo');
  });

  it('expires an idle aggregated session as a whole, never its members one by one', async () => {
    const res = await rawRequest(gw.port, {
      path: '/mcp',
      headers: mcpHeaders(gw.port, token),
      body: INITIALIZE,
    });
    expect(res.status).toBe(200);
    const id = res.headers['mcp-session-id'] as string;
    const members = () => gw.core.gateway.sessions.all().filter((s) => s.aggregateId === id);
    expect(members().length).toBeGreaterThanOrEqual(2);
    const later = Date.now() + 24 * 3600_000;
    gw.core.gateway.sessions.reap(later);
    expect(members().length).toBeGreaterThanOrEqual(2);
    gw.core.gateway.aggregates.reap(later);
    await waitFor(() => members().length === 0, 10_000);
    expect(gw.core.gateway.aggregates.find(id, 'agent')).toBeUndefined();
  });

  it('closes every member when the client ends the session', async () => {
    const agg = await connectAll(token);
    await toolNames(agg.client);
    const id = agg.transport.sessionId!;
    const members = () => gw.core.gateway.sessions.all().filter((s) => s.aggregateId === id);
    expect(
      members()
        .map((m) => m.info.serverName)
        .sort(),
    ).toEqual(['later', 'mutable', 'risky']);
    expect(gw.core.gateway.sessions.find(members()[0]!.id, 'agent', 'mutable')).toBeUndefined();
    await agg.transport.terminateSession();
    expect(members()).toEqual([]);
    expect(gw.core.gateway.aggregates.find(id, 'agent')).toBeUndefined();
  });
});

describe('tool filter refusals without governance (bench-only build)', () => {
  it('refuses calls outside the filter and writes nothing to the audit log', async () => {
    const risky = await startToolRiskServer();
    const gw = await startGateway({ core: { governance: false } });
    try {
      await gw.addServer('risky', risky.url);
      const token = await gw.addClient('filtered');
      await gw.core.services['clients.update']({ name: 'filtered', toolFilter: ['read_*'] });
      const { client: agg } = await gw.connectAggregate(token);
      const { client: direct } = await gw.connect('risky', token);
      for (const [client, name] of [
        [agg, 'risky__delete_repo'],
        [direct, 'delete_repo'],
      ] as const) {
        const refused = await client
          .request({ method: 'tools/call', params: { name, arguments: { repo: 'x' } } }, CallToolResultSchema)
          .catch((e: unknown) => e);
        expect((refused as McpError).code).toBe(-32602);
        expect((refused as McpError).message).toContain(`Unknown tool: ${name}`);
      }
      expect(risky.calls).toEqual([]);
      expect((await gw.core.services['audit.query']({ client: 'filtered' })).records).toEqual([]);
    } finally {
      await gw.stop();
      await risky.close();
    }
  });
});
