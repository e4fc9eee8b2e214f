// Child processes of the benchmark: started with the same Node, their output drained (a full pipe
// would stall them), their RSS read from /proc, and every one of them killed at the end or on error.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const TAIL_BYTES = 16 * 1024;
const live = new Set<Child>();

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  /** The first URL the child printed (`listening http://…`). */
  readonly url: string;
  /** The last few KB of stdout and stderr, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`. Resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node <script> ...args` and resolves once it prints a line matching `ready` (whose first
 * group is its URL). Rejects if it exits first or stays silent for `timeoutMs`.
 */
export function startChild(name: string, args: string[], ready: RegExp, timeoutMs = 30_000): Promise<Child> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let tail = '';
  const onData = (data: Buffer): void => {
    tail = (tail + data.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: Omit<Child, 'url'> = {
    name,
    process: child,
    pid: child.pid ?? -1,
    output: () => tail,
    async stop(graceMs = 5_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      live.delete(result);
    },
  };
  const result = handle as Child;
  live.add(result);
  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => {
      void result.stop(0);
      reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${tail}`));
    }, timeoutMs);
    const check = (): void => {
      const match = ready.exec(tail);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.stderr.off('data', check);
      resolve(Object.assign(result, { url: match[1]! }));
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then(() => {
      clearTimeout(timer);
      live.delete(result);
      reject(
        new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail}`),
      );
    });
  });
}

/** Stops every child still running (in parallel). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...live].map((child) => child.stop(3_000)));
}

/** Last-resort cleanup from a synchronous `exit` handler. */
export function killAllChildrenNow(): void {
  for (const child of live) if (child.process.exitCode === null) child.process.kill('SIGKILL');
}

/** Resident set size of a process in KB (VmRSS from /proc/<pid>/status), or undefined off Linux. */
export function rssKb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** RSS after letting the process settle for `settleMs` (no GC is forced). */
export async function settledRssKb(pid: number, settleMs = 1_000): Promise<number | undefined> {
  await sleep(settleMs);
  return rssKb(pid);
}
