import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../conformance/run-conformance.ts';
import { startConformanceServer } from '../fixtures/conformance-server.ts';
import type { RunningServer } from '../fixtures/conformance-server.ts';
import { startLegacySseServer } from '../fixtures/legacy-sse-server.ts';
import { startServerEverything } from '../fixtures/server-everything.ts';
import type { ServerEverything } from '../fixtures/server-everything.ts';

const EXPECTED_FAILURES = path.join(import.meta.dirname, '../conformance/expected-failures.yml');

describe('conformance fixture', () => {
  let fixture: RunningServer;
  let outDir: string;

  beforeAll(async () => {
    fixture = await startConformanceServer();
    outDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-conformance-'));
  });
  afterAll(async () => {
    await fixture?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('passes the active conformance suite when tested directly', { timeout: 60_000 }, async () => {
    const run = await runConformance(`http://localhost:${fixture.port}/mcp`, outDir, EXPECTED_FAILURES);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Total: \d+ passed, 0 failed/);
    expect(run.stdout).toContain('dns-rebinding-protection: 2 passed, 0 failed');
  });

  it('closes the stream in test_reconnection and replays the result after Last-Event-ID', async () => {
    const resumedWith: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      const lastEventId = new Headers(init?.headers).get('last-event-id');
      if (lastEventId !== null) resumedWith.push(lastEventId);
      return fetch(input, init);
    };
    const client = new Client({ name: 'fixtures-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(fixture.url), { fetch: recordingFetch }));
    try {
      const result = await client.callTool({ name: 'test_reconnection', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'Reconnection test completed successfully' }]);
      expect(resumedWith.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('answers non-loopback Host or Origin headers with 403', async () => {
    // fetch() cannot override Host, so use node:http for that one.
    const hostStatus = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(fixture.url, { method: 'POST', headers: { host: 'evil.example.com' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.once('error', reject);
      req.end('{}');
    });
    expect(hostStatus).toBe(403);
    const originRes = await fetch(fixture.url, {
      method: 'POST',
      headers: { origin: 'http://evil.example.com', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(originRes.status).toBe(403);
  });
});

describe('server-everything', () => {
  let everything: ServerEverything;

  beforeAll(async () => {
    everything = await startServerEverything();
  });
  afterAll(async () => {
    await everything?.stop();
  });

  it(
    'lists tools over Streamable HTTP, also after a restart on the same port',
    { timeout: 60_000 },
    async () => {
      const listToolNames = async (): Promise<string[]> => {
        const client = new Client({ name: 'fixtures-test', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(new URL(everything.url)));
        try {
          return (await client.listTools()).tools.map((tool) => tool.name);
        } finally {
          await client.close();
        }
      };
      expect(await listToolNames()).toContain('echo');

      const oldPid = everything.pid;
      await everything.restart();
      expect(everything.pid).not.toBe(oldPid);
      expect(() => process.kill(oldPid, 0)).toThrow();
      expect(await listToolNames()).toContain('get-sum');
    },
  );
});

describe('legacy HTTP+SSE fixture', () => {
  let legacy: RunningServer;

  beforeAll(async () => {
    legacy = await startLegacySseServer();
  });
  afterAll(async () => {
    await legacy?.close();
  });

  it('answers a POST to the SSE URL with 405', async () => {
    const res = await fetch(legacy.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(405);
  });

  it('serves echo, progress, logging and a prompt over SSEClientTransport', async () => {
    const client = new Client({ name: 'fixtures-test', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(legacy.url)));
    try {
      const echo = await client.callTool({ name: 'echo', arguments: { message: 'hi' } });
      expect(echo.content).toEqual([{ type: 'text', text: 'Echo: hi' }]);

      const progress: number[] = [];
      await client.callTool({ name: 'count_with_progress', arguments: { steps: 3 } }, undefined, {
        onprogress: (p) => progress.push(p.progress),
      });
      expect(progress).toEqual([1, 2, 3]);

      const logs: unknown[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        logs.push(n.params.data);
      });
      await client.callTool({ name: 'log_message', arguments: { message: 'hello log', level: 'warning' } });
      await expect.poll(() => logs).toContain('hello log');

      const prompt = await client.getPrompt({ name: 'greeting', arguments: { name: 'Ada' } });
      expect(JSON.stringify(prompt.messages)).toContain('Ada');
    } finally {
      await client.close();
    }
  });
});
