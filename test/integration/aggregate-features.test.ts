import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpError } from '@modelcontextprotocol/sdk/types.js';
import {
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type ClientCapabilities,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { startMutableServer, type MutableServer } from '../fixtures/mutable-server.ts';
import { startServerEverything, type ServerEverything } from '../fixtures/server-everything.ts';
import { waitFor } from '../helpers/wait.ts';
import { startGateway, type GatewayHarness } from './support/gateway-harness.ts';
import { answerSamplingAndElicitation } from './support/server-requests.ts';

/**
 * The rest of a session on `/mcp` with two members (server-everything and a mutable fixture):
 * resources routed by URI, completions, server-to-client requests, logging, cancellation.
 */
describe('aggregated endpoint /mcp: whole-session features', () => {
  let gw: GatewayHarness;
  let everything: ServerEverything;
  let mutable: MutableServer;
  let token: string;

  beforeAll(async () => {
    everything = await startServerEverything();
    mutable = await startMutableServer({
      tools: [{ name: 'echo', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }],
    });
    gw = await startGateway({ allowAll: true });
    await gw.addServer('everything', everything.url);
    await gw.addServer('mutable', mutable.url);
    token = await gw.addClient('agent');
  });
  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
    await mutable?.close();
  });

  const connectAll = (capabilities: ClientCapabilities = {}) => gw.connectAggregate(token, { capabilities });

  it('lists resources with their URIs unchanged and routes reads and subscriptions to their server', async () => {
    const { client } = await connectAll();
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const uri = resources[0]!.uri;
    expect(uri.startsWith('demo://')).toBe(true);
    const read = await client.readResource({ uri });
    expect(read.contents[0]?.uri).toBe(uri);

    const { resourceTemplates } = await client.listResourceTemplates();
    const template = resourceTemplates.find((t) => t.uriTemplate.includes('/dynamic/text/'));
    expect(template).toBeDefined();
    const dynamic = template!.uriTemplate.replace(/\{[^}]*\}/, '3');
    const fromTemplate = await client.readResource({ uri: dynamic });
    expect(fromTemplate.contents[0]?.uri).toBe(dynamic);

    const updated = new Promise<string>((resolve) =>
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => resolve(n.params.uri)),
    );
    await client.subscribeResource({ uri });
    await client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    expect(await updated).toBe(uri);
    await client.unsubscribeResource({ uri });

    const unknown = await client.readResource({ uri: 'nowhere://x' }).catch((e: unknown) => e);
    expect((unknown as McpError).code).toBe(-32602);
  });

  it('completes prompt arguments through the namespaced prompt name', async () => {
    const { client } = await connectAll();
    const completion = await client.complete({
      ref: { type: 'ref/prompt', name: 'everything__completable-prompt' },
      argument: { name: 'department', value: 'E' },
    });
    expect(completion.completion.values).toContain('Engineering');
    const prompt = await client.getPrompt({ name: 'everything__args-prompt', arguments: { city: 'Lisbon' } });
    expect(JSON.stringify(prompt.messages)).toContain('Lisbon');
  });

  it('relays sampling and elicitation requests from a member and the answers back', async () => {
    const { client } = await connectAll({ sampling: {}, elicitation: {} });
    const seenIds: RequestId[] = [];
    const { sampled, elicited } = await answerSamplingAndElicitation(client, {
      model: 'aggregate-model',
      prefix: 'everything__',
      sampledIds: seenIds,
    });
    expect(JSON.stringify(sampled.content)).toContain('aggregate-model');
    // The client sees ids unique in the aggregated session, not the member's own.
    expect(String(seenIds[0])).toMatch(/^gatehouse-\d+$/);
    expect(JSON.stringify(elicited.content)).toContain('Ada');
  });

  it('sets the log level on every member and relays their log messages', async () => {
    const { client } = await connectAll();
    await client.setLoggingLevel('debug');
    const logged = new Promise<string>((resolve) =>
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => resolve(String(n.params.data))),
    );
    await client.callTool({ name: 'everything__toggle-simulated-logging', arguments: {} });
    expect(await logged).toMatch(/message/i);
    await client.callTool({ name: 'everything__toggle-simulated-logging', arguments: {} });
  });

  it('routes a cancellation to the member running the call', async () => {
    const { client, transport } = await connectAll();
    const member = () =>
      gw.core.gateway.sessions.all().find((s) => s.id === `${transport.sessionId}.everything`)!;
    const abort = new AbortController();
    const call = client
      .callTool(
        { name: 'everything__trigger-long-running-operation', arguments: { duration: 30, steps: 30 } },
        undefined,
        { signal: abort.signal },
      )
      .catch((e: unknown) => e);
    await waitFor(() => member().inFlight === 1, 10_000);
    abort.abort('changed my mind');
    expect(String(await call)).toMatch(/changed my mind|abort/i);
    await waitFor(() => member().inFlight === 0, 10_000);
    // The session goes on.
    const echo = await client.callTool({ name: 'mutable__echo', arguments: {} });
    expect(JSON.stringify(echo.content)).toContain('echo ran');
  });

  it('refuses methods it cannot route and cursors it never gave', async () => {
    const { client } = await connectAll();
    expect(await client.ping()).toEqual({});
    const cursor = await client.listTools({ cursor: 'x' }).catch((e: unknown) => e);
    expect((cursor as McpError).code).toBe(-32602);
  });
});

describe('aggregated endpoint /mcp: a server that never answers', () => {
  let gw: GatewayHarness;
  let mutable: MutableServer;
  let silent: net.Server;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    mutable = await startMutableServer({
      tools: [{ name: 'echo', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }],
    });
    // Accepts connections and never says a word.
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    gw = await startGateway({ allowAll: true });
    await gw.core.services['settings.set']({ key: 'upstream.connectTimeoutSeconds', value: 1 });
    await gw.addServer('mutable', mutable.url);
    await gw.addServer('silent', `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/mcp`);
  });
  afterAll(async () => {
    await gw?.stop();
    await mutable?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  it('answers initialize without waiting for it, and the other servers work', async () => {
    const { client } = await gw.connectAggregate(await gw.addClient('patient'));
    expect(client.getInstructions()).toContain('silent');
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(['mutable__echo']);
    expect(JSON.stringify(tools._meta)).toContain('still connecting');
    const echo = await client.callTool({ name: 'mutable__echo', arguments: {} });
    expect(JSON.stringify(echo.content)).toContain('echo ran');
  });
});
