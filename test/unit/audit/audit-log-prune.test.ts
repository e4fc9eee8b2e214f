import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { intent, tick, useAuditFolder } from './audit-fixtures.ts';

const DAY = 86_400_000;

describe('AuditLog.prune', () => {
  const folder = useAuditFolder();

  /** Old calls, then (after a moment) new ones; returns the time the new ones start at. */
  async function oldAndNew() {
    const log = folder.open();
    const old1 = await log.writeIntent(intent({ tool: 'old_1' }));
    await log.writeOutcome(old1, { outcome: 'ok', durationMs: 1 });
    const oldRunning = await log.writeIntent(intent({ tool: 'old_running' }));
    await log.writeEvent({ kind: 'notice', detail: { text: 'old event' } });
    await tick(5);
    const cut = new Date();
    await tick(5);
    const new1 = await log.writeIntent(intent({ tool: 'new_1' }));
    // The outcome of an old call arrives after the cut: it stays when its intent goes.
    await log.writeOutcome(oldRunning, { outcome: 'ok', durationMs: 9 });
    await log.writeOutcome(new1, { outcome: 'ok', durationMs: 1 });
    return { log, cut };
  }

  it('deletes only older records and keeps the chain verifiable from the anchor', async () => {
    const { log, cut } = await oldAndNew();
    const deleted = log.prune(90, new Date(cut.getTime() + 90 * DAY));
    expect(deleted).toBe(4);
    expect(log.query({ kind: 'all' }).records.map((r) => r.tool)).toEqual(['new_1']);
    expect(log.verify()).toEqual({ ok: true, checked: 3 });
    // Writes after pruning link on; a second prune with nothing to do changes nothing.
    await log.writeIntent(intent({ tool: 'after' }));
    expect(log.prune(90, new Date(cut.getTime() + 90 * DAY))).toBe(0);
    expect(log.verify()).toEqual({ ok: true, checked: 4 });
    await log.close();
    const reopened = folder.open();
    expect(reopened.verify()).toEqual({ ok: true, checked: 5 });
  });

  it('keeps the anchor at the last deleted record', async () => {
    const { log, cut } = await oldAndNew();
    log.prune(1, new Date(cut.getTime() + DAY));
    const raw = new Database(folder.file(), { readonly: true });
    const anchor = raw.prepare('SELECT seq, hash FROM chain_anchor').get();
    const first = raw.prepare('SELECT seq, prev_hash FROM audit_log ORDER BY seq LIMIT 1').get() as {
      seq: number;
      prev_hash: string;
    };
    raw.close();
    expect(anchor).toEqual({ seq: 4, hash: first.prev_hash });
    expect(first.seq).toBe(5);
  });

  it('can prune everything, and the next record links to the anchor', async () => {
    const { log, cut } = await oldAndNew();
    expect(log.prune(1, new Date(cut.getTime() + 10 * DAY))).toBe(7);
    expect(log.verify()).toEqual({ ok: true, checked: 0 });
    expect(await log.writeIntent(intent())).toBe(8);
    expect(log.verify()).toEqual({ ok: true, checked: 1 });
  });

  it('never deletes past a record that is newer than the cutoff (clock set back)', async () => {
    const log = folder.open();
    await log.writeIntent(intent({ tool: 'a' }));
    const raw = new Database(folder.file());
    raw.exec('DROP TRIGGER audit_log_append_only');
    raw.close();
    await log.writeIntent(intent({ tool: 'b' }));
    await log.writeIntent(intent({ tool: 'c' }));
    // Pretend "b" was written with a clock far in the future: a, then b (new), then c (old again).
    const records = log.query({ limit: 10 }).records;
    const future = new Date(Date.parse(records[0]!.at) + 30 * DAY);
    const edit = new Database(folder.file());
    edit.prepare('UPDATE audit_log SET at = ? WHERE seq = 2').run(future.toISOString());
    edit.close();
    expect(log.prune(1, new Date(Date.parse(records[0]!.at) + 2 * DAY))).toBe(1);
    expect(log.query({ limit: 10 }).records.map((r) => r.tool)).toEqual(['c', 'b']);
  });

  it('refuses a non-positive retention', () => {
    const log = folder.open();
    expect(() => log.prune(0)).toThrow(RangeError);
  });
});
