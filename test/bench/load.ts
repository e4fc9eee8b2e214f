// Closed-loop load: one session per worker, all opened during setup (the barrier); a warm-up whose
// calls are not recorded; then measuring windows. Every call has distinct arguments.
import { performance } from 'node:perf_hooks';
import { Endpoint, inParallel, type Session } from './mcp-client.ts';
import { summarize, type Summary } from './stats.ts';

export interface CellResult {
  path: string;
  workers: number;
  /** Calls completed inside the measuring windows, per second. */
  throughput: number;
  latency: Summary;
  errors: number;
  firstError?: string;
}

export interface Target {
  path: string;
  url: string;
  token?: string;
}

/** One path at one concurrency: its sessions, and the samples of every measuring window so far. */
export class Cell {
  readonly target: Target;
  readonly workers: number;
  readonly #endpoint: Endpoint;
  readonly #sessions: Session[] = [];
  readonly #samples: number[] = [];
  #measuredMs = 0;
  #calls = 0;
  #seq = 0;
  #errors = 0;
  #firstError: string | undefined;

  private constructor(target: Target, workers: number) {
    this.target = target;
    this.workers = workers;
    this.#endpoint = new Endpoint(target.url, workers, target.token);
  }

  /** Opens one session per worker (initialize + notifications/initialized). */
  static async open(target: Target, workers: number): Promise<Cell> {
    const cell = new Cell(target, workers);
    try {
      cell.#sessions.push(...(await inParallel(workers, 8, () => cell.#endpoint.open('bench-load'))));
    } catch (error) {
      await cell.close();
      throw error;
    }
    return cell;
  }

  /** Every worker calls `echo` back to back for `ms`; recorded calls count toward the result. */
  async run(ms: number, record: boolean): Promise<void> {
    const from = performance.now();
    const to = from + ms;
    const worker = async (session: Session, w: number): Promise<void> => {
      for (;;) {
        const t0 = performance.now();
        if (t0 >= to) return;
        try {
          await session.echo(`${this.target.path}-w${w}-${this.#seq++}`);
        } catch (error) {
          this.#errors++;
          this.#firstError ??= (error as Error).message;
          if (this.#errors > 1_000) {
            throw new Error(`${this.target.path}: too many errors: ${this.#firstError}`, { cause: error });
          }
          continue;
        }
        const t1 = performance.now();
        if (record && t1 <= to) {
          this.#samples.push(t1 - t0);
          this.#calls++;
        }
      }
    };
    await Promise.all(this.#sessions.map((session, w) => worker(session, w)));
    if (record) this.#measuredMs += ms;
  }

  result(): CellResult {
    return {
      path: this.target.path,
      workers: this.workers,
      throughput: this.#measuredMs > 0 ? this.#calls / (this.#measuredMs / 1000) : 0,
      latency: summarize(this.#samples),
      errors: this.#errors,
      ...(this.#firstError ? { firstError: this.#firstError } : {}),
    };
  }

  /** Deletes the sessions and closes the connections. */
  async close(): Promise<void> {
    await Promise.all(this.#sessions.map((s) => s.close()));
    await this.#endpoint.close();
  }
}

/**
 * Measures every target at one concurrency. Sessions for all targets are opened first; each target
 * is warmed up; then `rounds` measuring windows per target are interleaved (rotating the order), so
 * background noise on a shared machine spreads over all paths instead of landing on one.
 */
export async function runLevel(options: {
  targets: Target[];
  workers: number;
  warmupMs: number;
  durationMs: number;
  rounds: number;
  onResult?: (result: CellResult) => void;
}): Promise<CellResult[]> {
  const cells: Cell[] = [];
  try {
    for (const target of options.targets) cells.push(await Cell.open(target, options.workers));
    for (const cell of cells) await cell.run(options.warmupMs, false);
    const windowMs = options.durationMs / options.rounds;
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < cells.length; i++) await cells[(round + i) % cells.length]!.run(windowMs, true);
    }
    const results = cells.map((cell) => cell.result());
    for (const result of results) options.onResult?.(result);
    return results;
  } finally {
    await Promise.all(cells.map((cell) => cell.close()));
  }
}
