// Session capacity and hygiene: RSS per idle session, and whether abandoned sessions are reclaimed
// (deleted upstream) after the idle timeout.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { rssKb, settledRssKb, type Child } from './children.ts';
import { Endpoint, inParallel } from './mcp-client.ts';

export interface UpstreamStats {
  liveSessions: number;
  byClient: Record<string, number>;
}

/** The echo upstream's session count (GET /stats). */
export async function upstreamStats(upstreamUrl: string): Promise<UpstreamStats> {
  const res = await request(new URL('/stats', upstreamUrl));
  return (await res.body.json()) as UpstreamStats;
}

/** Sessions the upstream holds for a client name (as the upstream sees it). */
export async function upstreamSessionsOf(upstreamUrl: string, clientName: string): Promise<number> {
  return (await upstreamStats(upstreamUrl)).byClient[clientName] ?? 0;
}

export interface MemoryResult {
  process: string;
  /** Sessions opened (and kept) before the baseline. */
  warmup: number;
  sessions: number;
  rssBeforeKb: number | undefined;
  rssAfterKb: number | undefined;
  perSessionKb: number | undefined;
  openSeconds: number;
}

/**
 * Opens `warmup` idle sessions (initialize + initialized, no GET stream) through `endpointUrl` so
 * one-time costs (code paths compiled, connection pools, heap spaces sized) are paid, lets the process
 * settle ~1 s and reads its RSS; opens `count` more and reads the RSS again after ~1 s. Nothing is
 * forced (no GC). The sessions are left open.
 */
export async function measureSessionMemory(options: {
  child: Child;
  endpointUrl: string;
  token?: string;
  warmup: number;
  count: number;
  clientName: string;
}): Promise<MemoryResult> {
  const { child, count } = options;
  const endpoint = new Endpoint(options.endpointUrl, 16, options.token);
  let openSeconds: number;
  let rssBeforeKb: number | undefined;
  try {
    await inParallel(options.warmup, 16, () => endpoint.open(options.clientName));
    rssBeforeKb = await settledRssKb(child.pid);
    const t0 = performance.now();
    await inParallel(count, 16, () => endpoint.open(options.clientName));
    openSeconds = (performance.now() - t0) / 1000;
  } finally {
    await endpoint.close();
  }
  const rssAfterKb = await settledRssKb(child.pid);
  return {
    process: child.name,
    warmup: options.warmup,
    sessions: count,
    rssBeforeKb,
    rssAfterKb,
    perSessionKb:
      rssBeforeKb !== undefined && rssAfterKb !== undefined ? (rssAfterKb - rssBeforeKb) / count : undefined,
    openSeconds,
  };
}

export interface ReclaimResult {
  sessions: number;
  idleSeconds: number;
  /** Upstream sessions of these clients while they were open (should equal `sessions`). */
  upstreamOpen: number;
  reclaimed: number;
  /** Seconds from the last activity of the abandoned sessions until all were deleted upstream. */
  afterSeconds: number;
  rssBeforeKb: number | undefined;
  rssOpenKb: number | undefined;
  rssAfterKb: number | undefined;
}

/**
 * Opens `count` sessions through the gateway, abandons them (no DELETE) and polls the upstream until
 * the gateway has deleted them there, or `idleSeconds + graceSeconds` have passed.
 */
export async function measureReclaim(options: {
  gateway: Child;
  endpointUrl: string;
  token: string;
  upstreamUrl: string;
  count: number;
  idleSeconds: number;
  graceSeconds: number;
  clientName: string;
}): Promise<ReclaimResult> {
  const { count, upstreamUrl } = options;
  const upstreamName = `${options.clientName} via Gatehouse`;
  const rssBeforeKb = await settledRssKb(options.gateway.pid);
  const endpoint = new Endpoint(options.endpointUrl, 16, options.token);
  try {
    await inParallel(count, 16, () => endpoint.open(options.clientName));
  } finally {
    await endpoint.close(); // abandon: no DELETE, and the connections go away too
  }
  const abandonedAt = performance.now();
  const rssOpenKb = rssKb(options.gateway.pid);
  const upstreamOpen = await upstreamSessionsOf(upstreamUrl, upstreamName);
  const deadline = abandonedAt + (options.idleSeconds + options.graceSeconds) * 1000;
  let left = upstreamOpen;
  while (left > 0 && performance.now() < deadline) {
    await sleep(100);
    left = await upstreamSessionsOf(upstreamUrl, upstreamName);
  }
  const afterSeconds = (performance.now() - abandonedAt) / 1000;
  return {
    sessions: count,
    idleSeconds: options.idleSeconds,
    upstreamOpen,
    reclaimed: upstreamOpen - left,
    afterSeconds,
    rssBeforeKb,
    rssOpenKb,
    rssAfterKb: await settledRssKb(options.gateway.pid),
  };
}

/** Stops a gateway gracefully and counts how many of its upstream sessions it deleted on the way out. */
export async function measureShutdown(options: {
  gateway: Child;
  upstreamUrl: string;
  clientName: string;
}): Promise<{ before: number; deleted: number; seconds: number }> {
  const upstreamName = `${options.clientName} via Gatehouse`;
  const before = await upstreamSessionsOf(options.upstreamUrl, upstreamName);
  const t0 = performance.now();
  await options.gateway.stop(10_000);
  const seconds = (performance.now() - t0) / 1000;
  const after = await upstreamSessionsOf(options.upstreamUrl, upstreamName);
  return { before, deleted: before - after, seconds };
}
