import { setTimeout as sleep } from 'node:timers/promises';

/** Options shared by the polling helpers. */
export interface WaitOptions {
  /** Give up after this many milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Pause between attempts (default 50 ms). */
  intervalMs?: number;
}

/**
 * Polls `predicate` until it returns a truthy value and resolves with that value.
 * Exceptions thrown by the predicate count as "not yet". Rejects after `timeoutMs`.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`waitFor timed out after ${timeoutMs} ms${reason}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Resolves once `url` answers an HTTP GET with any status (even 4xx/5xx): the server is listening.
 * Rejects after `timeoutMs` if connections keep failing.
 */
export async function waitForHttp(url: string, options: WaitOptions = {}): Promise<void> {
  const { timeoutMs = 10_000, intervalMs = 100 } = options;
  await waitFor(
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      return true;
    },
    timeoutMs,
    intervalMs,
  );
}
