// Audit log micro benchmark (performance-and-reliability.md §4, goals T1/T2/D5): audited calls per
// second — an intent committed, then its outcome committed — with `concurrency` calls in flight, in
// the default (WAL + NORMAL) or durable (FULL) mode, group commit as in production.
// Run alone: `node test/bench/audit-throughput.ts [seconds]`; or call measureAuditThroughput.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { AuditLog } from '../../electron/main/audit/audit-log.ts';
import { summarize, type Summary } from './stats.ts';

/** What one run measured. */
export interface AuditThroughput {
  durable: boolean;
  concurrency: number;
  seconds: number;
  /** Calls with both records committed. */
  calls: number;
  callsPerSecond: number;
  /** Per call, intent queued → outcome committed (ms). */
  latency: Summary;
  /** Rows per transaction, on average. */
  rowsPerCommit: number;
  /** Event-loop delay p99 during the run (ms). */
  eventLoopDelayP99Ms: number;
}

/** Measures audited calls/s with `concurrency` calls in flight for `seconds`, in a temp folder. */
export async function measureAuditThroughput(options: {
  durable: boolean;
  concurrency: number;
  seconds: number;
}): Promise<AuditThroughput> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-audit-bench-'));
  const log = AuditLog.open({ file: path.join(dir, 'audit.sqlite'), durable: options.durable });
  let commits = 0;
  let rows = 0;
  log.onDidCommit((c) => {
    commits++;
    rows += c.rows;
  });
  const samples: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let counter = 0;
  try {
    // Warm-up: statements prepared, file grown a little.
    for (let i = 0; i < 200; i++) await call(log, counter++);
    commits = 0;
    rows = 0;
    delay.enable();
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await call(log, counter++);
        samples.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const elapsed = (performance.now() - started) / 1000;
    delay.disable();
    return {
      durable: options.durable,
      concurrency: options.concurrency,
      seconds: elapsed,
      calls: samples.length,
      callsPerSecond: samples.length / elapsed,
      latency: summarize(samples),
      rowsPerCommit: commits ? rows / commits : 0,
      eventLoopDelayP99Ms: delay.percentile(99) / 1e6,
    };
  } finally {
    await log.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One audited call: ~500 B of distinct arguments, as in §4.1. */
async function call(log: AuditLog, n: number): Promise<void> {
  const seq = await log.writeIntent({
    client: 'bench',
    session: 'bench-session',
    server: 'echo',
    tool: 'echo',
    requestId: n,
    args: { n, text: `call ${n} `.padEnd(440, 'lorem ipsum '), options: { depth: n % 7, tags: ['a', 'b'] } },
    decision: 'allow',
    risk: 'read',
  });
  await log.writeOutcome(seq, { outcome: 'ok', durationMs: 0.2, resultBytes: 512 });
}

if (import.meta.main) {
  const seconds = Number(process.argv[2] ?? 3);
  const lines = [
    '| mode | concurrency | calls/s | p50 ms | p99 ms | rows/commit | loop delay p99 ms |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const durable of [false, true]) {
    for (const concurrency of [1, 32]) {
      const r = await measureAuditThroughput({ durable, concurrency, seconds });
      lines.push(
        `| ${durable ? 'durable (FULL)' : 'default (NORMAL)'} | ${concurrency} | ${Math.round(r.callsPerSecond)} | ` +
          `${r.latency.p50.toFixed(3)} | ${r.latency.p99.toFixed(3)} | ${r.rowsPerCommit.toFixed(1)} | ${r.eventLoopDelayP99Ms.toFixed(2)} |`,
      );
    }
  }
  console.log(lines.join('\n'));
}
