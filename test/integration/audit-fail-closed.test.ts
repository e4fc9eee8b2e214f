import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditReader } from '../../electron/main/audit/audit-reader.ts';
import { auditFile } from '../../electron/main/services/create-core.ts';
import { startToolRiskServer, type ToolRiskServer } from '../fixtures/tool-risk-server.ts';
import { startGateway, type GatewayHarness } from './support/gateway-harness.ts';

/** Calls are never forwarded unaudited, and held calls are denied and recorded at shutdown. */
describe('audit fail-closed and shutdown', () => {
  let upstream: ToolRiskServer;
  let gw: GatewayHarness;
  let token: string;

  beforeAll(async () => {
    upstream = await startToolRiskServer();
    gw = await startGateway();
    await gw.addServer('risky', upstream.url);
    token = await gw.addClient('agent');
  });
  afterAll(async () => {
    await gw?.stop();
    await upstream?.close();
  });

  it('refuses a call with a clear error while the audit log is locked by another program, then recovers', async () => {
    const { client } = await gw.connect('risky', token);
    await client.callTool({ name: 'read_file', arguments: { path: 'warm-up' } });
    upstream.calls.length = 0;
    const intruder = new Database(auditFile(gw.dataDir));
    intruder.exec('BEGIN IMMEDIATE'); // holds the write lock past the gateway's busy timeout
    try {
      await expect(
        client.callTool({ name: 'read_file', arguments: { path: 'while-locked' } }),
      ).rejects.toThrow(/cannot write its audit log/);
      expect(upstream.calls).toEqual([]);
    } finally {
      intruder.exec('ROLLBACK');
      intruder.close();
    }
    const after = await client.callTool({ name: 'read_file', arguments: { path: 'after' } });
    expect(JSON.stringify(after.content)).toContain('read_file ran');
  }, 20_000);

  it('denies and records calls still waiting for approval when Gatehouse stops', async () => {
    const { client } = await gw.connect('risky', token);
    const pending = client
      .callTool({ name: 'delete_repo', arguments: { repo: 'at-shutdown' } })
      .catch((e: unknown) => e);
    await expect.poll(async () => (await gw.core.services['approvals.list']()).length).toBe(1);
    await gw.core.stop();
    await pending;
    expect(upstream.calls.some((c) => c.tool === 'delete_repo')).toBe(false);
    const reader = AuditReader.open({ file: auditFile(gw.dataDir) });
    try {
      const record = reader.query({ tool: 'delete_repo' }).records[0];
      expect(record).toMatchObject({
        decision: 'ask',
        approvalAnswer: 'withdrawn',
        outcome: 'denied',
        detail: { reason: 'Gatehouse is shutting down' },
      });
    } finally {
      reader.close();
    }
  });
});
