// `npm run bench`: Gatehouse's added latency, throughput, governance overhead, memory per session,
// reclaim of abandoned sessions and audit-log throughput (performance-and-reliability.md §2, §4 and
// §6.1). Every latency path calls the `echo` tool of the same echo upstream (echo-upstream.ts), in one
// run, with interleaved measuring windows:
//   direct                      load generator → upstream (the baseline "added" is measured against)
//   minimal Node forwarder      one extra Node HTTP hop doing nothing but forward bytes and the MCP
//   (floor)                     headers (minimal-forwarder.ts): the floor any gateway here starts from
//   Gatehouse                   `gatehouse serve` as shipped: auth, sessions, policy decision and
//                               write-ahead audit (default mode: WAL, synchronous=NORMAL) per call;
//                               its data folder has one rule allowing every tool of `echo`
//   Gatehouse, governance off   the same core with governance: false (ungoverned-serve.ts): no policy
//                               decision, no audit write; Gatehouse minus this = policy + audit cost
//   SDK relay                   a bare relay built only from the official SDK (sdk-relay.ts)
// Audit throughput is measured in-process on the AuditLog itself (audit-throughput.ts).
// Prints Markdown and writes test-results/bench-latest.md. Missed targets are reported, not fatal:
// exit 1 only if something broke. Knobs: see config.ts (BENCH_SECONDS, ...).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { killAllChildrenNow, settledRssKb, startChild, stopAllChildren, type Child } from './children.ts';
import { readConfig, type BenchConfig } from './config.ts';
import { measureAuditThroughput } from './audit-throughput.ts';
import { prepareGateway, removeDataDirs, startGateway, startUngovernedGateway } from './gateway.ts';
import { runLevel } from './load.ts';
import { AUDIT_CONCURRENCY, PATHS, renderReport, type BenchResults } from './report.ts';
import { measureReclaim, measureSessionMemory, measureShutdown } from './sessions.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OUT_FILE = path.join(ROOT, 'test-results/bench-latest.md');
const READY = /listening (http:\/\/127\.0\.0\.1:\d+\/mcp)/;
const ECHO_UPSTREAM = path.join(import.meta.dirname, 'echo-upstream.ts');
const SDK_RELAY = path.join(import.meta.dirname, 'sdk-relay.ts');
const MINIMAL_FORWARDER = path.join(import.meta.dirname, 'minimal-forwarder.ts');

const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

process.on('exit', () => {
  killAllChildrenNow();
  removeDataDirs();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping child processes`);
    void stopAllChildren().finally(() => process.exit(130));
  });
}

/**
 * Part 1: direct vs minimal forwarder vs Gatehouse vs Gatehouse with governance off vs SDK relay, at
 * each concurrency.
 */
async function latencyPhase(config: BenchConfig, upstream: Child, results: BenchResults) {
  const prepared = await prepareGateway('latency', upstream.url);
  const preparedUngoverned = await prepareGateway('latency-ungoverned', upstream.url);
  const [gateway, ungoverned, relay, forwarder] = await Promise.all([
    startGateway('gatehouse', prepared),
    startUngovernedGateway('gatehouse-ungoverned', preparedUngoverned),
    startChild('sdk-relay', [SDK_RELAY, upstream.url], READY),
    startChild('minimal-forwarder', [MINIMAL_FORWARDER, upstream.url], READY),
  ]);
  [results.gatewayIdleRssKb, results.ungovernedIdleRssKb] = await Promise.all([
    settledRssKb(gateway.child.pid, 500),
    settledRssKb(ungoverned.child.pid, 500),
  ]);
  const targets = [
    { path: PATHS.direct, url: upstream.url },
    { path: PATHS.floor, url: forwarder.url },
    { path: PATHS.gatehouse, url: gateway.endpoint, token: gateway.token },
    { path: PATHS.ungoverned, url: ungoverned.endpoint, token: ungoverned.token },
    { path: PATHS.relay, url: relay.url },
  ];
  for (const workers of config.workers) {
    log(
      `c=${workers}: ${config.warmupSeconds} s warm-up + ${config.seconds} s per path, in ${config.rounds} rounds`,
    );
    await runLevel({
      targets,
      workers,
      warmupMs: config.warmupSeconds * 1000,
      durationMs: config.seconds * 1000,
      rounds: config.rounds,
      onResult: (r) => {
        results.cells.push(r);
        log(
          `  ${r.path.padEnd(32)} ${Math.round(r.throughput)} calls/s, p50 ${r.latency.p50.toFixed(3)} ms, ` +
            `p99 ${r.latency.p99.toFixed(3)} ms, errors ${r.errors}`,
        );
      },
    });
  }
  [results.gatewayLoadedRssKb, results.ungovernedLoadedRssKb] = await Promise.all([
    settledRssKb(gateway.child.pid, 500),
    settledRssKb(ungoverned.child.pid, 500),
  ]);
  await Promise.all([gateway.child.stop(), ungoverned.child.stop(), relay.stop(), forwarder.stop()]);
}

/** Part 2: RSS per idle session, in fresh processes; then Gatehouse's graceful shutdown with them open. */
async function memoryPhase(config: BenchConfig, upstream: Child, results: BenchResults) {
  const prepared = await prepareGateway('memory', upstream.url);
  const [gateway, relay] = await Promise.all([
    startGateway('gatehouse', prepared),
    startChild('sdk-relay', [SDK_RELAY, upstream.url], READY),
  ]);
  for (const [child, url, token] of [
    [gateway.child, gateway.endpoint, gateway.token],
    [relay, relay.url, undefined],
  ] as const) {
    log(
      `${child.name}: ${config.memoryWarmupSessions} warm-up sessions, then ${config.memorySessions} idle sessions`,
    );
    const result = await measureSessionMemory({
      child,
      endpointUrl: url,
      warmup: config.memoryWarmupSessions,
      count: config.memorySessions,
      clientName: 'bench-memory',
      ...(token ? { token } : {}),
    });
    results.memory.push(result);
    log(`  ${result.perSessionKb?.toFixed(1) ?? 'n/a'} KB per session`);
  }
  await relay.stop(); // the SDK relay never deletes its upstream sessions; they stay behind in the upstream
  log('stopping Gatehouse (SIGTERM) with its sessions open');
  results.shutdown = await measureShutdown({
    gateway: gateway.child,
    upstreamUrl: upstream.url,
    clientName: 'bench-memory',
  });
}

/** Part 3: abandoned sessions must be deleted upstream after sessions.idleMinutes. */
async function reclaimPhase(config: BenchConfig, upstream: Child, results: BenchResults) {
  const prepared = await prepareGateway('reclaim', upstream.url, {
    'sessions.idleMinutes': String(config.idleMinutes),
  });
  const gateway = await startGateway('gatehouse-reclaim', prepared);
  log(
    `opening ${config.reclaimSessions} sessions and abandoning them (idle timeout ${config.idleMinutes * 60} s)`,
  );
  results.reclaim = await measureReclaim({
    gateway: gateway.child,
    endpointUrl: gateway.endpoint,
    token: gateway.token,
    upstreamUrl: upstream.url,
    count: config.reclaimSessions,
    idleSeconds: config.idleMinutes * 60,
    graceSeconds: 30,
    clientName: 'bench-reclaim',
  });
  log(
    `  reclaimed ${results.reclaim.reclaimed}/${results.reclaim.sessions} after ${results.reclaim.afterSeconds.toFixed(1)} s`,
  );
  await gateway.child.stop();
}

/** Part 4: audited calls/s (intent + outcome committed per call) on the audit log alone, both modes. */
async function auditPhase(config: BenchConfig, results: BenchResults) {
  for (const durable of [false, true]) {
    log(
      `audit log, ${durable ? 'durable' : 'default'} mode: ${AUDIT_CONCURRENCY} calls in flight for ${config.auditSeconds} s`,
    );
    const r = await measureAuditThroughput({
      durable,
      concurrency: AUDIT_CONCURRENCY,
      seconds: config.auditSeconds,
    });
    results.audit.push(r);
    log(
      `  ${Math.round(r.callsPerSecond)} audited calls/s, p50 ${r.latency.p50.toFixed(3)} ms, ` +
        `p99 ${r.latency.p99.toFixed(3)} ms, ${r.rowsPerCommit.toFixed(1)} rows per commit`,
    );
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = readConfig();
  const results: BenchResults = {
    config,
    cells: [],
    gatewayIdleRssKb: undefined,
    gatewayLoadedRssKb: undefined,
    ungovernedIdleRssKb: undefined,
    ungovernedLoadedRssKb: undefined,
    memory: [],
    reclaim: undefined,
    shutdown: undefined,
    audit: [],
    totalSeconds: 0,
  };
  try {
    const upstream = await startChild('echo-upstream', [ECHO_UPSTREAM], READY);
    await latencyPhase(config, upstream, results);
    await memoryPhase(config, upstream, results);
    await reclaimPhase(config, upstream, results);
    await upstream.stop();
    await auditPhase(config, results);
  } finally {
    await stopAllChildren();
    removeDataDirs();
  }
  results.totalSeconds = (performance.now() - started) / 1000;
  const report = renderReport(results);
  process.stdout.write(report);
  mkdirSync(path.dirname(OUT_FILE), { recursive: true });
  writeFileSync(OUT_FILE, report);
  log(`written to ${path.relative(ROOT, OUT_FILE)}`);
}

try {
  await main();
} catch (error) {
  log(`failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
}
