import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../conformance/run-conformance.ts';
import { startConformanceServer } from '../fixtures/conformance-server.ts';
import { startGateway, type GatewayHarness } from './support/gateway-harness.ts';

const EXPECTED_FAILURES = path.resolve(import.meta.dirname, '../conformance/expected-failures.yml');

/** The MCP conformance suite's server scenarios, against the gateway in front of our fixture. */
describe('MCP conformance through the gateway', () => {
  let gw: GatewayHarness;
  let fixture: Awaited<ReturnType<typeof startConformanceServer>>;
  let token: string;
  let outDir: string;

  beforeAll(async () => {
    fixture = await startConformanceServer();
    gw = await startGateway({ level: 'info', allowAll: true });
    await gw.addServer('conformance', fixture.url);
    token = await gw.addClient('conformance-suite');
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-conformance-'));
  });
  afterAll(async () => {
    await gw?.stop();
    await fixture?.close();
  });

  it('passes every active server scenario', async () => {
    // "localhost" so the dns-rebinding-protection scenario runs (mcp-protocol-notes.md §7.6).
    const url = `http://localhost:${gw.port}/mcp/conformance`;
    const run = await runConformance(url, outDir, EXPECTED_FAILURES, token);
    const summary = run.stdout.slice(run.stdout.indexOf('=== SUMMARY ==='));
    expect(run.code, `${summary}\n${run.stderr}`).toBe(0);
    const total = /Total: (\d+) passed, 0 failed/.exec(summary);
    expect(total, summary).not.toBeNull();
    expect(Number(total![1])).toBeGreaterThanOrEqual(40); // the whole active suite ran
  }, 120_000);
});
