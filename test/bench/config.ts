/**
 * Benchmark knobs, from the environment (defaults keep a whole run under ~2.5 minutes):
 *   BENCH_SECONDS                 measured seconds per path and concurrency (default 3)
 *   BENCH_WARMUP_SECONDS          unrecorded warm-up per path and concurrency (default 1)
 *   BENCH_ROUNDS                  interleaved measuring windows the seconds are split into (default 3)
 *   BENCH_WORKERS                 concurrency levels (default 1,8,32; 1 is always included)
 *   BENCH_SESSIONS                idle sessions for the memory test (default 1000)
 *   BENCH_MEMORY_WARMUP_SESSIONS  sessions opened before the memory baseline (default 100)
 *   BENCH_RECLAIM_SESSIONS        abandoned sessions for the reclaim test (default 200)
 *   BENCH_IDLE_MINUTES            sessions.idleMinutes of the reclaim gateway (default 0.05 = 3 s)
 *   BENCH_AUDIT_SECONDS           seconds per audit-throughput run, default and durable mode (default 3)
 */
export interface BenchConfig {
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  workers: number[];
  memorySessions: number;
  memoryWarmupSessions: number;
  reclaimSessions: number;
  idleMinutes: number;
  auditSeconds: number;
}

function num(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min)
    throw new Error(`${name} must be a number ≥ ${min}, not "${raw}"`);
  return value;
}

export function readConfig(): BenchConfig {
  const workers = (process.env.BENCH_WORKERS ?? '1,8,32').split(',').map((w) => Number(w.trim()));
  if (workers.some((w) => !Number.isInteger(w) || w < 1))
    throw new Error('BENCH_WORKERS must look like "1,8,32"');
  if (!workers.includes(1)) workers.unshift(1); // the targets are stated at c=1
  return {
    seconds: num('BENCH_SECONDS', 3, 0.1),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', 1, 0),
    rounds: Math.round(num('BENCH_ROUNDS', 3, 1)),
    workers,
    memorySessions: Math.round(num('BENCH_SESSIONS', 1_000, 1)),
    memoryWarmupSessions: Math.round(num('BENCH_MEMORY_WARMUP_SESSIONS', 100, 0)),
    reclaimSessions: Math.round(num('BENCH_RECLAIM_SESSIONS', 200, 1)),
    idleMinutes: num('BENCH_IDLE_MINUTES', 0.05, 0.01),
    auditSeconds: num('BENCH_AUDIT_SECONDS', 3, 0.1),
  };
}
