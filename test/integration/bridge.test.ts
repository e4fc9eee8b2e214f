import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { nullLogger } from '../../electron/main/base/logger.ts';
import { createOfflineServices } from '../../electron/main/services/create-core.ts';
import { startServerEverything, type ServerEverything } from '../fixtures/server-everything.ts';
import { getFreePort } from '../helpers/free-port.ts';
import { GATEHOUSE_BIN, runGatehouse, startServe, type ServeProcess } from './support/gatehouse-process.ts';
import { answerSamplingAndElicitation } from './support/server-requests.ts';

/**
 * `gatehouse bridge` as a client launches it: an SDK stdio client -> the bridge (child process) ->
 * a real `gatehouse serve` (child process) -> server-everything.
 */
describe('gatehouse bridge', () => {
  let everything: ServerEverything;
  let serve: ServeProcess;
  let dataDir: string;
  const clients: Client[] = [];

  /** A data folder with server-everything and one client (its token in the secret store). */
  async function prepare(dir: string, serverUrl: string, port?: number): Promise<void> {
    const offline = createOfflineServices({ dataDir: dir, logger: nullLogger });
    try {
      await offline.services['servers.add']({
        name: 'everything',
        url: serverUrl,
        headers: {},
        trusted: true,
        allowInsecureHttp: false,
      });
      await offline.services['clients.add']({ name: 'desktop' });
      await offline.services['policy.add']({ action: 'allow', note: 'bridge tests', args: [] });
      if (port !== undefined) await offline.services['settings.set']({ key: 'gateway.port', value: port });
    } finally {
      offline.dispose();
    }
  }

  beforeAll(async () => {
    everything = await startServerEverything();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bridge-'));
    await prepare(dataDir, everything.url);
    serve = await startServe(dataDir);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await serve?.stop();
    await everything?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** An SDK client for `gatehouse bridge <args>` as a child process, not yet connected. */
  function bridgeClient(args: string[], dir = dataDir, capabilities: ClientCapabilities = {}) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [GATEHOUSE_BIN, 'bridge', ...args, '--data-dir', dir],
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const client = new Client({ name: 'bridge-test', version: '1.0.0' }, { capabilities });
    clients.push(client);
    return { client, transport, stderr: () => stderr };
  }

  async function bridge(
    args: string[],
    dir = dataDir,
    capabilities: ClientCapabilities = {},
  ): Promise<{ client: Client; stderr: () => string }> {
    const { client, transport, stderr } = bridgeClient(args, dir, capabilities);
    await client.connect(transport);
    return { client, stderr };
  }

  /** A long call with its progress, and a prompt (`prefix` names the server on the aggregated endpoint). */
  async function expectProgressAndPrompt(client: Client, prefix = ''): Promise<void> {
    const progress: number[] = [];
    const result = await client.callTool(
      { name: `${prefix}trigger-long-running-operation`, arguments: { duration: 1, steps: 3 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(result.content)).toContain('Long running operation completed');
    const prompt = await client.getPrompt({ name: `${prefix}simple-prompt` });
    expect(prompt.messages.length).toBeGreaterThan(0);
  }

  it('relays a whole session to one server: tools, a call with progress, a prompt', async () => {
    const { client } = await bridge(['everything']);
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain('echo');
    expect(tools).toContain('trigger-long-running-operation');
    await expectProgressAndPrompt(client);
  });

  it('relays server-to-client requests (sampling, elicitation) and their answers', async () => {
    const { client } = await bridge(['everything'], dataDir, { sampling: {}, elicitation: {} });
    const { sampled, elicited } = await answerSamplingAndElicitation(client, { model: 'bridge-model' });
    expect(JSON.stringify(sampled.content)).toContain('bridge-model');
    expect(JSON.stringify(elicited.content)).toContain('Ada');
  });

  it('relays the aggregated endpoint with --all: namespaced tools, progress, prompts', async () => {
    const { client } = await bridge(['--all', '--client', 'desktop']);
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain('everything__echo');
    await expectProgressAndPrompt(client, 'everything__');
  });

  it('says clearly, on stderr and as an MCP error, when Gatehouse is not running', async () => {
    const idle = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bridge-idle-'));
    try {
      await prepare(idle, everything.url, await getFreePort());
      const { client, transport, stderr } = bridgeClient(['everything'], idle);
      const error = await client.connect(transport).catch((e: unknown) => e);
      expect(String(error)).toContain('Gatehouse is not running');
      expect(stderr()).toContain('Gatehouse is not running');
    } finally {
      fs.rmSync(idle, { recursive: true, force: true });
    }
  });

  it('carries the session over a gateway restart without the client noticing', async () => {
    const { client, stderr } = await bridge(['--all', '--client', 'desktop']);
    const echo = (message: string) => client.callTool({ name: 'everything__echo', arguments: { message } });
    expect(JSON.stringify((await echo('before')).content)).toContain('Echo: before');
    const port = serve.port;
    await serve.stop();
    const refused = await echo('while down').catch((e: unknown) => e);
    expect(String(refused)).toContain('Gatehouse is not running');
    serve = await startServe(dataDir, ['--port', String(port)]);
    expect(JSON.stringify((await echo('after')).content)).toContain('Echo: after');
    expect(stderr()).toContain('opened a new one');
  });

  it('refuses to guess the client when several have tokens, and names them', async () => {
    const offline = createOfflineServices({ dataDir, logger: nullLogger });
    try {
      await offline.services['clients.add']({ name: 'other' });
    } finally {
      offline.dispose();
    }
    const run = await runGatehouse(['bridge', 'everything', '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('several clients have tokens (desktop, other)');
    const usage = await runGatehouse(['bridge', '--data-dir', dataDir]);
    expect(usage.code).toBe(2);
  });
});
