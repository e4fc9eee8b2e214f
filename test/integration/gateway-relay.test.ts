import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { startServerEverything } from '../fixtures/server-everything.ts';
import { startLegacySseServer } from '../fixtures/legacy-sse-server.ts';
import { getFreePort } from '../helpers/free-port.ts';
import { startGateway, type GatewayHarness } from './support/gateway-harness.ts';
import { answerSamplingAndElicitation } from './support/server-requests.ts';

/** The SDK client through the real gateway to real upstream servers (issue #2 checks). */
describe('gateway relay to server-everything', () => {
  let gw: GatewayHarness;
  let everything: Awaited<ReturnType<typeof startServerEverything>>;
  let token: string;

  beforeAll(async () => {
    everything = await startServerEverything();
    gw = await startGateway({ allowAll: true });
    await gw.addServer('everything', everything.url);
    token = await gw.addClient('tester');
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
    await everything?.stop();
  });

  it('lists and calls tools, passing structured content and annotations through', async () => {
    const { client } = await gw.connect('everything', token);
    expect(client.getServerVersion()?.name).toContain('everything');
    const { tools } = await client.listTools();
    const echo = tools.find((t) => t.name === 'echo');
    expect(echo?.annotations?.readOnlyHint).toBe(true);
    expect(await client.callTool({ name: 'echo', arguments: { message: 'hello' } })).toEqual({
      content: [{ type: 'text', text: 'Echo: hello' }],
    });
    const structured = await client.callTool({
      name: 'get-structured-content',
      arguments: { location: 'New York' },
    });
    expect(structured.structuredContent).toBeDefined();
  });

  it('delivers every progress notification of a long operation before its result', async () => {
    const { client } = await gw.connect('everything', token);
    const progress: number[] = [];
    let resultArrived = false;
    const result = await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 4 } },
      undefined,
      {
        onprogress: (p) => {
          expect(resultArrived).toBe(false);
          progress.push(p.progress);
        },
      },
    );
    resultArrived = true;
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(JSON.stringify(result.content)).toContain('Long running operation completed');
  });

  it('relays sampling and elicitation requests to the client and its answers back', async () => {
    const { client } = await gw.connect('everything', token, { sampling: {}, elicitation: {} });
    const { sampled, elicited } = await answerSamplingAndElicitation(client, { model: 'test-model' });
    expect(JSON.stringify(sampled.content)).toContain('test-model');
    expect(JSON.stringify(elicited.content)).toContain('Ada');
  });

  it('reads resources, subscribes and receives update notifications', async () => {
    const { client } = await gw.connect('everything', token);
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const uri = resources[0]!.uri;
    const read = await client.readResource({ uri });
    expect(read.contents[0]?.uri).toBe(uri);
    const updated = new Promise<string>((resolve) =>
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => resolve(n.params.uri)),
    );
    await client.subscribeResource({ uri });
    await client.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
    expect(await updated).toBe(uri);
    await client.unsubscribeResource({ uri });
  });

  it('gets prompts, completes arguments and relays logging', async () => {
    const { client } = await gw.connect('everything', token);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain('args-prompt');
    const prompt = await client.getPrompt({ name: 'args-prompt', arguments: { city: 'Lisbon' } });
    expect(JSON.stringify(prompt.messages)).toContain('Lisbon');
    const completion = await client.complete({
      ref: { type: 'ref/prompt', name: 'completable-prompt' },
      argument: { name: 'department', value: 'E' },
    });
    expect(completion.completion.values).toContain('Engineering');
    await client.setLoggingLevel('debug');
    const logged = new Promise<string>((resolve) =>
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => resolve(String(n.params.data))),
    );
    await client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
    expect(await logged).toMatch(/message/i);
  });

  it('recovers transparently when the upstream restarts mid-session', async () => {
    const { client, transport } = await gw.connect('everything', token);
    await client.callTool({ name: 'echo', arguments: { message: 'before' } });
    const sessionBefore = transport.sessionId;
    await everything.restart();
    const after = await client.callTool({ name: 'echo', arguments: { message: 'after' } });
    expect(after.content).toEqual([{ type: 'text', text: 'Echo: after' }]);
    expect(transport.sessionId).toBe(sessionBefore); // the client never noticed
  });
});

describe('gateway relay to other upstreams', () => {
  let gw: GatewayHarness;
  let legacy: Awaited<ReturnType<typeof startLegacySseServer>>;
  let everything: Awaited<ReturnType<typeof startServerEverything>>;
  let token: string;

  beforeAll(async () => {
    legacy = await startLegacySseServer();
    everything = await startServerEverything();
    gw = await startGateway({ allowAll: true });
    await gw.addServer('legacy', legacy.url);
    await gw.addServer('everything', everything.url);
    await gw.addServer('dead', `http://127.0.0.1:${await getFreePort()}/mcp`);
    token = await gw.addClient('tester');
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
    await legacy?.close();
    await everything?.stop();
  });

  it('speaks the 2024-11-05 HTTP+SSE transport to an SSE-only server', async () => {
    const { client } = await gw.connect('legacy', token);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    const result = await client.callTool({ name: 'echo', arguments: { message: 'old school' } });
    expect(JSON.stringify(result.content)).toContain('old school');
    const sessions = await gw.core.services['sessions.list']();
    expect(sessions.some((s) => s.server === 'legacy' && s.transport === 'legacy-sse')).toBe(true);
  });

  it('gives a clear error for an unreachable server while another keeps working', async () => {
    await expect(gw.connect('dead', token)).rejects.toThrow(
      /Server "dead" is unavailable: connection refused/,
    );
    const { client } = await gw.connect('everything', token);
    expect((await client.callTool({ name: 'echo', arguments: { message: 'still here' } })).content).toEqual([
      { type: 'text', text: 'Echo: still here' },
    ]);
    const dead = (await gw.core.services['servers.list']()).find((s) => s.name === 'dead');
    expect(dead?.status).toBe('failing');
    expect(dead?.lastError).toContain('connection refused');
  });
});
