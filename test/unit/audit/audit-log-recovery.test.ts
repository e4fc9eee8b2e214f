import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { intent, useAuditFolder } from './audit-fixtures.ts';

const WRITER = path.join(import.meta.dirname, 'crash-writer.fixture.ts');

/** Starts the writer, waits for "ready" (plus `extraMs`), kills it with SIGKILL; returns all it printed. */
async function runAndKill(file: string, args: string[], extraMs = 0): Promise<string> {
  const child = spawn(process.execPath, [WRITER, file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (out.includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`writer exited (${code}) before ready: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, extraMs));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  return out;
}

describe('crash recovery', () => {
  const folder = useAuditFolder();

  it('marks calls without an outcome as interrupted after a kill -9, and the chain stays valid', async () => {
    const out = await runAndKill(folder.file(), ['fixed', '6']);
    const seqs = /ready ([\d,]+)/.exec(out)![1]!.split(',').map(Number);
    expect(seqs).toHaveLength(6);

    const log = folder.open();
    const records = log.query({ client: 'crasher', limit: 100 }).records;
    expect(records).toHaveLength(6);
    for (const record of records) {
      const index = seqs.indexOf(record.seq);
      expect(record.outcome, `call ${index}`).toBe(index % 2 === 0 ? 'ok' : 'interrupted');
    }
    const interrupted = records.find((r) => r.outcome === 'interrupted');
    expect(interrupted?.error).toMatch(/stopped before the call finished/);
    expect(interrupted?.durationMs).toBe(0);
    expect(log.verify()).toEqual({ ok: true, checked: 6 + 3 + 3 });
    await log.close();

    // Opening again neither marks them twice nor breaks anything.
    const again = folder.open();
    expect(again.query({ outcome: 'interrupted' }).records).toHaveLength(3);
    expect(again.verify()).toEqual({ ok: true, checked: 12 });
  });

  it('loses no committed record when killed mid-stream (WAL + NORMAL, app crash)', async () => {
    const out = await runAndKill(folder.file(), ['stream'], 150);
    const acked = [...out.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
    expect(acked.length).toBeGreaterThan(16);
    const check = new Database(folder.file(), { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    const log = folder.open();
    expect(log.verify().ok).toBe(true);
    const seqs = new Set<number>();
    log.export({ client: 'crasher' }, 'jsonl', (line) => seqs.add((JSON.parse(line) as { seq: number }).seq));
    for (const seq of acked) expect(seqs.has(seq), `acknowledged intent ${seq}`).toBe(true);
    // Every call has a terminal outcome: its own, or interrupted.
    expect(log.query({ outcome: 'pending' }).records).toEqual([]);
    const interrupted = log.query({ outcome: 'interrupted', limit: 1000 }).records.length;
    expect(interrupted).toBeLessThanOrEqual(16);
  });

  it('after a clean close, the next open looks only after the calls that were still open', async () => {
    const log = folder.open();
    const done = await log.writeIntent(intent({ tool: 'done' }));
    const open = await log.writeIntent(intent({ tool: 'open' }));
    await log.writeOutcome(done, { outcome: 'ok', durationMs: 1 });
    await log.writeDenied(intent({ tool: 'denied' }));
    const later = await log.writeIntent(intent({ tool: 'later' }));
    await log.writeOutcome(later, { outcome: 'ok', durationMs: 1 });
    await log.close();
    const raw = new Database(folder.file(), { readonly: true });
    const point = raw.prepare(`SELECT value FROM audit_meta WHERE key = 'recovered_through'`).pluck().get();
    raw.close();
    expect(point).toBe(String(open - 1));

    const reopened = folder.open();
    expect(reopened.query({ outcome: 'interrupted' }).records.map((r) => r.tool)).toEqual(['open']);
    const running = await reopened.writeIntent(intent({ tool: 'running' }));
    expect(reopened.query({ outcome: 'pending' }).records.map((r) => r.seq)).toEqual([running]);
    expect(reopened.verify().ok).toBe(true);
  });
});
