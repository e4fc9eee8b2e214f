// Renders the results as Markdown (tables ready to paste into a README) with the targets.
import os from 'node:os';
import type { AuditThroughput } from './audit-throughput.ts';
import type { BenchConfig } from './config.ts';
import type { CellResult } from './load.ts';
import type { MemoryResult, ReclaimResult } from './sessions.ts';

export const PATHS = {
  direct: 'direct',
  floor: 'minimal Node forwarder (floor)',
  gatehouse: 'Gatehouse',
  ungoverned: 'Gatehouse, governance off',
  relay: 'SDK relay',
} as const;

/** Calls in flight in the audit-throughput runs (the durable target is stated at this concurrency). */
export const AUDIT_CONCURRENCY = 32;

/**
 * The targets (CI class, 2-vCPU Linux: performance-and-reliability.md §6.2 L1, S1, S3) and
 * governance's (§4: policy + audit per call, audit throughput in durable mode).
 */
export const TARGETS = {
  addedP50Ms: 0.5,
  addedP99Ms: 3,
  relayRatio: 3,
  perSessionKb: 250,
  governanceP50Ms: 0.3,
  durableAuditCallsPerSecond: 3_000,
} as const;

export interface BenchResults {
  config: BenchConfig;
  cells: CellResult[];
  /** The latency gateway's RSS right after start, and after the latency runs. */
  gatewayIdleRssKb: number | undefined;
  gatewayLoadedRssKb: number | undefined;
  /** The same for the governance-off gateway of the latency runs. */
  ungovernedIdleRssKb: number | undefined;
  ungovernedLoadedRssKb: number | undefined;
  memory: MemoryResult[];
  reclaim: ReclaimResult | undefined;
  shutdown: { before: number; deleted: number; seconds: number } | undefined;
  /** Audited calls/s on the audit log alone: default mode, then durable mode. */
  audit: AuditThroughput[];
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

/** What policy + audit add per call: Gatehouse minus Gatehouse with governance off, same run. */
export function governanceOverhead(
  results: BenchResults,
  workers: number,
): { p50: number; p99: number } | undefined {
  const governed = cell(results, PATHS.gatehouse, workers);
  const ungoverned = cell(results, PATHS.ungoverned, workers);
  if (!governed || !ungoverned) return undefined;
  return {
    p50: governed.latency.p50 - ungoverned.latency.p50,
    p99: governed.latency.p99 - ungoverned.latency.p99,
  };
}

function auditRun(results: BenchResults, durable: boolean): AuditThroughput | undefined {
  return results.audit.find((a) => a.durable === durable && a.concurrency === AUDIT_CONCURRENCY);
}

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
      `windows interleaved with the other paths. Added = path minus direct, same run. Load generator, gateways, relay ` +
      `and upstream share this machine's CPUs: read the differences, not the absolute times.`,
  );
  out.push('');
  out.push('Paths, all calling the same `echo` tool of the same upstream:');
  out.push('');
  out.push(
    `- **${PATHS.direct}**: load generator → upstream; the baseline every "added" is measured against.`,
  );
  out.push(
    `- **${PATHS.floor}**: one extra Node HTTP hop that does nothing but forward (test/bench/minimal-forwarder.ts): ` +
      'a node:http server reading the body and passing it, with the MCP headers, over an undici keep-alive pool to ' +
      'the upstream, and the status, content-type, mcp-session-id and body back. No auth, no parsing, no policy, ' +
      'no audit: its added latency is the floor for any gateway on this machine.',
  );
  out.push(
    `- **${PATHS.gatehouse}**: \`gatehouse serve\` as shipped: token auth, sessions, a policy decision and a ` +
      'write-ahead audit record (intent committed before forwarding, outcome before answering) per call, audit log ' +
      'in default mode (WAL, synchronous=NORMAL). Its data folder has one rule allowing every tool of the `echo` ' +
      'server (the tool has no annotations, so the default policy would hold each call for a person).',
  );
  out.push(
    `- **${PATHS.ungoverned}**: the same core built with \`governance: false\` (test/bench/ungoverned-serve.ts; ` +
      'no command or setting does this): token auth, sessions and relay, no policy decision, no audit write. ' +
      'Gatehouse minus this path is what policy + audit cost per call.',
  );
  out.push(
    `- **${PATHS.relay}**: a bare relay built only from the official MCP SDK (test/bench/sdk-relay.ts): ` +
      'no auth, no policy, no audit, no idle reaping.',
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
        'floor added p50',
        'Gatehouse added p50',
        'governance off added p50',
        'SDK relay added p50',
        'ratio p50',
        'floor added p99',
        'Gatehouse added p99',
        'governance off added p99',
        'SDK relay added p99',
        'ratio p99',
      ],
      config.workers.map((w) => {
        const f = added(results, PATHS.floor, w);
        const g = added(results, PATHS.gatehouse, w);
        const u = added(results, PATHS.ungoverned, w);
        const r = added(results, PATHS.relay, w);
        return [
          String(w),
          signedMs(f?.p50),
          signedMs(g?.p50),
          signedMs(u?.p50),
          signedMs(r?.p50),
          fmtRatio(ratio(r?.p50, g?.p50)),
          signedMs(f?.p99),
          signedMs(g?.p99),
          signedMs(u?.p99),
          signedMs(r?.p99),
          fmtRatio(ratio(r?.p99, g?.p99)),
        ];
      }),
    ),
  );
  out.push('');
  out.push(
    'Ratio = SDK relay added / Gatehouse added (higher is better for Gatehouse); Gatehouse here is the governed path. ' +
      'Floor = the minimal Node forwarder: what one extra HTTP hop costs on this machine with no work done in it.',
  );
  out.push('');

  out.push('## Governance overhead (policy + audit) per call');
  out.push('');
  out.push(
    'Overhead = Gatehouse added minus governance off added, same run and concurrency (direct cancels out: it is ' +
      'the difference of the two paths’ own percentiles). Audit log in default mode. A difference of percentiles, ' +
      'not a percentile of differences; at c=1 it is the per-call cost, at higher concurrency it includes queueing.',
  );
  out.push('');
  out.push(
    table(
      [
        'Workers',
        'Gatehouse calls/s',
        'governance off calls/s',
        'Gatehouse added p50',
        'governance off added p50',
        'overhead p50 ms',
        'overhead p99 ms',
      ],
      config.workers.map((w) => {
        const gc = cell(results, PATHS.gatehouse, w);
        const uc = cell(results, PATHS.ungoverned, w);
        const o = governanceOverhead(results, w);
        return [
          String(w),
          gc ? int(gc.throughput) : 'n/a',
          uc ? int(uc.throughput) : 'n/a',
          signedMs(added(results, PATHS.gatehouse, w)?.p50),
          signedMs(added(results, PATHS.ungoverned, w)?.p50),
          signedMs(o?.p50),
          signedMs(o?.p99),
        ];
      }),
    ),
  );
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
      `${mb(results.gatewayLoadedRssKb)} MB after the latency runs (no sessions left open); ` +
      `with governance off: ${mb(results.ungovernedIdleRssKb)} MB and ${mb(results.ungovernedLoadedRssKb)} MB.`,
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

  out.push('## Audit log throughput');
  out.push('');
  out.push(
    `The audit log alone (test/bench/audit-throughput.ts), in this process, on a fresh file in ${os.tmpdir()}: ` +
      `${AUDIT_CONCURRENCY} calls in flight, each writing an intent (~500 B of arguments) and, once that is ` +
      'committed, its outcome; group commit as in production. An audited call = both records committed. ' +
      `${config.auditSeconds} s per mode.`,
  );
  out.push('');
  if (results.audit.length > 0) {
    out.push(
      table(
        [
          'Mode',
          'Concurrency',
          'audited calls/s',
          'p50 ms',
          'p99 ms',
          'rows per commit',
          'event-loop delay p99 ms',
        ],
        results.audit.map((a) => [
          a.durable ? 'durable (synchronous=FULL)' : 'default (WAL, synchronous=NORMAL)',
          String(a.concurrency),
          int(a.callsPerSecond),
          ms(a.latency.p50),
          ms(a.latency.p99),
          a.rowsPerCommit.toFixed(1),
          a.eventLoopDelayP99Ms.toFixed(2),
        ]),
        ['l'],
      ),
    );
    out.push('');
    out.push('Latency = intent queued → outcome committed, per call.');
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

/** Not a target: what the relay-ratio target asks for at c=1, next to what one bare hop costs here. */
function floorRow(results: BenchResults): string[] {
  const f = added(results, PATHS.floor, 1);
  const u = added(results, PATHS.ungoverned, 1);
  const r = added(results, PATHS.relay, 1);
  const needed = r === undefined ? undefined : r.p50 / TARGETS.relayRatio;
  const floorRatio = r && f && f.p50 > 0 ? `${(r.p50 / f.p50).toFixed(1)}×` : 'n/a';
  return [
    `floor: one extra Node HTTP hop at c=1 (minimal forwarder), for the ${TARGETS.relayRatio}× target`,
    `${TARGETS.relayRatio}× below the SDK relay (${signedMs(r?.p50)} ms) needs added p50 ≤ ${ms(needed)} ms; ` +
      `a forwarder doing nothing adds ${signedMs(f?.p50)} ms on this machine ` +
      `(SDK relay / floor ${floorRatio}; Gatehouse, governance off ${signedMs(u?.p50)} ms)`,
    'info',
  ];
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
  const gov = governanceOverhead(results, 1);
  const durableAudit = auditRun(results, true);
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
    floorRow(results),
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
    [
      `≤ ${TARGETS.governanceP50Ms} ms added p50 for policy + audit in default mode at c=1`,
      gov
        ? `${signedMs(gov.p50)} ms (added p50: Gatehouse ${signedMs(added(results, PATHS.gatehouse, 1)?.p50)}, ` +
          `governance off ${signedMs(added(results, PATHS.ungoverned, 1)?.p50)})`
        : 'n/a',
      status(gov && gov.p50 <= TARGETS.governanceP50Ms),
    ],
    [
      `≥ ${int(TARGETS.durableAuditCallsPerSecond)} audited calls/s in durable mode at concurrency ${AUDIT_CONCURRENCY}`,
      durableAudit ? `${int(durableAudit.callsPerSecond)} audited calls/s` : 'n/a',
      status(durableAudit && durableAudit.callsPerSecond >= TARGETS.durableAuditCallsPerSecond),
    ],
  ];
}
