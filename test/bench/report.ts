// Renders the results as Markdown (tables ready to paste into a README) with the targets.
import os from 'node:os';
import type { BenchConfig } from './config.ts';
import type { CellResult } from './load.ts';
import type { MemoryResult, ReclaimResult } from './sessions.ts';

export const PATHS = { direct: 'direct', gatehouse: 'Gatehouse', relay: 'SDK relay' } as const;

/** The targets (CI class, 2-vCPU Linux: performance-and-reliability.md §6.2 L1, S1, S3). */
export const TARGETS = {
  addedP50Ms: 0.5,
  addedP99Ms: 3,
  relayRatio: 3,
  perSessionKb: 250,
} as const;

export interface BenchResults {
  config: BenchConfig;
  cells: CellResult[];
  /** The latency gateway's RSS right after start, and after the latency runs. */
  gatewayIdleRssKb: number | undefined;
  gatewayLoadedRssKb: number | undefined;
  memory: MemoryResult[];
  reclaim: ReclaimResult | undefined;
  shutdown: { before: number; deleted: number; seconds: number } | undefined;
  totalSeconds: number;
}

const ms = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(3));
const signedMs = (v: number | undefined): string =>
  v === undefined || Number.isNaN(v) ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;
const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const mb = (kb: number | undefined): string => (kb === undefined ? 'n/a' : (kb / 1024).toFixed(1));
const kbs = (kb: number | undefined): string => (kb === undefined ? 'n/a' : kb.toFixed(1));

function table(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const sep = header.map((_, i) => ((align?.[i] ?? 'r') === 'l' ? ':---' : '---:'));
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function cell(results: BenchResults, path: string, workers: number): CellResult | undefined {
  return results.cells.find((c) => c.path === path && c.workers === workers);
}

/** Path minus direct, same run and concurrency. */
export function added(
  results: BenchResults,
  path: string,
  workers: number,
): { p50: number; p99: number } | undefined {
  const base = cell(results, PATHS.direct, workers);
  const via = cell(results, path, workers);
  if (!base || !via) return undefined;
  return { p50: via.latency.p50 - base.latency.p50, p99: via.latency.p99 - base.latency.p99 };
}

function ratio(relay: number | undefined, gatehouse: number | undefined): number | undefined {
  if (relay === undefined || gatehouse === undefined) return undefined;
  return gatehouse > 0 ? relay / gatehouse : Infinity;
}

const fmtRatio = (r: number | undefined): string =>
  r === undefined ? 'n/a' : r === Infinity ? '∞ (Gatehouse added ≤ 0)' : `${r.toFixed(1)}×`;

export function renderReport(results: BenchResults): string {
  const { config } = results;
  const out: string[] = [];
  const cpus = os.cpus();
  out.push('# Gatehouse benchmark');
  out.push('');
  out.push(
    `${new Date().toISOString()} · Node ${process.version} · ${os.platform()} ${os.arch()} · ${cpus.length}× ${cpus[0]?.model.trim() ?? 'cpu'} · ` +
      `load average at end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  out.push('');
  out.push(
    `Echo upstream (SDK McpServer, stateful, JSON responses) on loopback; closed-loop raw JSON-RPC \`tools/call\` ` +
      `over an undici Pool with keep-alive, one session per worker opened before timing, distinct arguments per call; ` +
      `per path and concurrency ${config.warmupSeconds} s warm-up, then ${config.seconds} s measured in ${config.rounds} ` +
      `windows interleaved with the other paths. Added = path minus direct, same run. Load generator, gateway, relay ` +
      `and upstream share this machine's CPUs: read the differences, not the absolute times.`,
  );
  out.push('');

  out.push('## Latency and throughput per `tools/call`');
  out.push('');
  const rows: string[][] = [];
  for (const workers of config.workers) {
    for (const path of Object.values(PATHS)) {
      const c = cell(results, path, workers);
      if (!c) continue;
      const a = path === PATHS.direct ? undefined : added(results, path, workers);
      rows.push([
        path,
        String(workers),
        int(c.throughput),
        ms(c.latency.p50),
        ms(c.latency.p99),
        ms(c.latency.p999),
        a ? signedMs(a.p50) : '—',
        a ? signedMs(a.p99) : '—',
        String(c.errors),
      ]);
    }
  }
  out.push(
    table(
      [
        'Path',
        'Workers',
        'calls/s',
        'p50 ms',
        'p99 ms',
        'p99.9 ms',
        'added p50 ms',
        'added p99 ms',
        'errors',
      ],
      rows,
      ['l'],
    ),
  );
  const failed = results.cells.filter((c) => c.errors > 0);
  for (const c of failed)
    out.push(`\n> ${c.path} c=${c.workers}: ${c.errors} errors, first: ${c.firstError ?? '?'}`);
  out.push('');

  out.push('## SDK relay vs Gatehouse (added latency)');
  out.push('');
  out.push(
    table(
      [
        'Workers',
        'Gatehouse added p50',
        'SDK relay added p50',
        'ratio p50',
        'Gatehouse added p99',
        'SDK relay added p99',
        'ratio p99',
      ],
      config.workers.map((w) => {
        const g = added(results, PATHS.gatehouse, w);
        const r = added(results, PATHS.relay, w);
        return [
          String(w),
          signedMs(g?.p50),
          signedMs(r?.p50),
          fmtRatio(ratio(r?.p50, g?.p50)),
          signedMs(g?.p99),
          signedMs(r?.p99),
          fmtRatio(ratio(r?.p99, g?.p99)),
        ];
      }),
    ),
  );
  out.push('');
  out.push('Ratio = SDK relay added / Gatehouse added (higher is better for Gatehouse).');
  out.push('');

  out.push(`## Memory: idle sessions`);
  out.push('');
  out.push(
    'Fresh processes; sessions opened with initialize + notifications/initialized, no GET stream, kept open. ' +
      'Baseline after the warm-up sessions; VmRSS from /proc/<pid>/status after ~1 s of settling; no GC forced.',
  );
  out.push('');
  out.push(
    table(
      [
        'Process',
        'Warm-up sessions',
        'Sessions added',
        'RSS before MB',
        'RSS after MB',
        'KB per session',
        'open time s',
      ],
      results.memory.map((m) => [
        m.process,
        int(m.warmup),
        int(m.sessions),
        mb(m.rssBeforeKb),
        mb(m.rssAfterKb),
        kbs(m.perSessionKb),
        m.openSeconds.toFixed(1),
      ]),
      ['l'],
    ),
  );
  out.push('');
  if (results.shutdown) {
    const s = results.shutdown;
    out.push(
      `Graceful shutdown (SIGTERM) of that gateway deleted ${s.deleted}/${s.before} of its upstream sessions in ${s.seconds.toFixed(1)} s.`,
    );
  }
  out.push(
    `Gatehouse gateway RSS: ${mb(results.gatewayIdleRssKb)} MB right after start, ` +
      `${mb(results.gatewayLoadedRssKb)} MB after the latency runs (no sessions left open).`,
  );
  out.push('');

  out.push('## Reclaim: abandoned sessions');
  out.push('');
  const rc = results.reclaim;
  if (rc) {
    out.push(
      `abandoned sessions reclaimed: ${rc.reclaimed}/${rc.sessions} after ${rc.afterSeconds.toFixed(1)} s ` +
        `(sessions.idleMinutes = ${results.config.idleMinutes}, i.e. ${Number(rc.idleSeconds.toFixed(2))} s; upstream held ${rc.upstreamOpen} while open)`,
    );
    out.push('');
    out.push(
      `Gateway RSS: ${mb(rc.rssBeforeKb)} MB before, ${mb(rc.rssOpenKb)} MB with ${rc.sessions} sessions open, ` +
        `${mb(rc.rssAfterKb)} MB after reclaim.`,
    );
  } else {
    out.push('not measured');
  }
  out.push('');

  out.push('## Targets');
  out.push('');
  out.push(table(['Target', 'Result', 'Status'], targetRows(results), ['l', 'l', 'l']));
  out.push('');
  out.push(
    `Total run time ${results.totalSeconds.toFixed(0)} s. Reproduce with \`npm run bench\` (BENCH_SECONDS=${config.seconds}).`,
  );
  out.push('');
  return out.join('\n');
}

function status(ok: boolean | undefined): string {
  return ok === undefined ? 'n/a' : ok ? 'PASS' : 'FAIL';
}

function targetRows(results: BenchResults): string[][] {
  const g = added(results, PATHS.gatehouse, 1);
  const r = added(results, PATHS.relay, 1);
  const rr = ratio(r?.p50, g?.p50);
  const mem = results.memory.find((m) => m.process === 'gatehouse');
  const rc = results.reclaim;
  return [
    [
      `added p50 ≤ ${TARGETS.addedP50Ms} ms at c=1`,
      `${signedMs(g?.p50)} ms`,
      status(g && g.p50 <= TARGETS.addedP50Ms),
    ],
    [
      `added p99 ≤ ${TARGETS.addedP99Ms} ms at c=1`,
      `${signedMs(g?.p99)} ms`,
      status(g && g.p99 <= TARGETS.addedP99Ms),
    ],
    [
      `≥ ${TARGETS.relayRatio}× lower added p50 than the bare SDK relay at c=1`,
      `${fmtRatio(rr)} (SDK relay ${signedMs(r?.p50)} ms)`,
      status(rr === undefined ? undefined : rr >= TARGETS.relayRatio),
    ],
    [
      `${int(results.config.memorySessions)} idle sessions at ≤ ${TARGETS.perSessionKb} KB each`,
      `${kbs(mem?.perSessionKb)} KB per session`,
      status(mem?.perSessionKb === undefined ? undefined : mem.perSessionKb <= TARGETS.perSessionKb),
    ],
    [
      'abandoned sessions reclaimed (deleted upstream), not before the idle timeout',
      rc
        ? `${rc.reclaimed}/${rc.sessions} after ${rc.afterSeconds.toFixed(1)} s` +
          (rc.afterSeconds < rc.idleSeconds * 0.95
            ? ` (too early: timeout ${rc.idleSeconds.toFixed(1)} s)`
            : '')
        : 'n/a',
      status(
        rc
          ? rc.reclaimed === rc.sessions &&
              rc.upstreamOpen === rc.sessions &&
              rc.afterSeconds >= rc.idleSeconds * 0.95
          : undefined,
      ),
    ],
  ];
}
