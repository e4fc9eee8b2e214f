import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AuditLog } from '../../electron/main/audit/audit-log.ts';
import { auditFile } from '../../electron/main/services/create-core.ts';
import type { AuditRecord } from '../../shared/schemas/audit.ts';
import { startToolRiskServer, type ToolRiskServer } from '../fixtures/tool-risk-server.ts';
import { runGatehouse, startServe, type ServeProcess } from './support/gatehouse-process.ts';

const WORKERS = 16;

/** The write-ahead audit log survives the gateway being killed with SIGKILL under load. */
describe('audit durability', () => {
  let dataDir: string;
  let upstream: ToolRiskServer;
  let serve: ServeProcess | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-durability-'));
    upstream = await startToolRiskServer();
  });
  afterAll(async () => {
    await serve?.stop('SIGKILL');
    await upstream?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a complete record of every answered call and an intent for every forwarded one', async () => {
    const cli = (...args: string[]) => runGatehouse([...args, '--data-dir', dataDir]);
    expect((await cli('server', 'add', 'risky', upstream.url)).code).toBe(0);
    expect((await cli('policy', 'add', '--action', 'allow', '--server', 'risky')).code).toBe(0);
    const token = /(ghc_[A-Za-z0-9_-]+)/.exec((await cli('client', 'add', 'load')).stdout)![1]!;
    serve = await startServe(dataDir);
    const url = new URL(`${serve.url}/mcp/risky`);

    const answered: string[] = [];
    const clients = await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        const client = new Client({ name: 'load', version: '1' });
        await client.connect(
          new StreamableHTTPClientTransport(url, {
            requestInit: { headers: { authorization: `Bearer ${token}` } },
          }),
        );
        return client;
      }),
    );
    let stop = false;
    const workers = clients.map(async (client, w) => {
      for (let i = 0; !stop; i++) {
        const id = `w${w}-c${i}`;
        try {
          const result = await client.callTool({ name: 'read_file', arguments: { path: id } });
          if (JSON.stringify(result.content).includes(id)) answered.push(id);
        } catch {
          return; // the gateway is gone
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await serve.stop('SIGKILL')).toBeNull(); // killed, no exit code
    stop = true;
    await Promise.all(workers);
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    expect(answered.length).toBeGreaterThan(50);

    // Restart: the new process marks calls that never finished as interrupted.
    serve = await startServe(dataDir);
    expect(await serve.stop('SIGTERM')).toBe(0);
    serve = undefined;

    const log = AuditLog.open({ file: auditFile(dataDir) });
    try {
      const records: AuditRecord[] = [];
      for (let before: number | undefined; ;) {
        const page = log.query({ kind: 'call', limit: 1000, ...(before ? { before } : {}) });
        records.push(...page.records);
        if (page.nextBefore === undefined) break;
        before = page.nextBefore;
      }
      const byPath = new Map(records.map((r) => [(r.args as { path?: string } | null)?.path, r]));
      for (const id of answered) expect(byPath.get(id)?.outcome, id).toBe('ok');
      for (const call of upstream.calls)
        expect(byPath.has(call.args.path as string), String(call.args.path)).toBe(true);
      expect(records.some((r) => r.outcome === 'pending')).toBe(false);
      expect(log.verify()).toMatchObject({ ok: true });
    } finally {
      await log.close();
    }
  }, 60_000);
});
