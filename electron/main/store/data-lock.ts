import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Who holds a data folder: written into `gatehouse.lock` by the serving process. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  kind: 'serve' | 'desktop';
  url?: string;
}

export class DataFolderBusyError extends Error {
  readonly dataDir: string;
  readonly holder: LockHolder;

  constructor(dataDir: string, holder: LockHolder) {
    super(
      `The data folder ${dataDir} is in use by Gatehouse (${holder.kind}, pid ${holder.pid} on ${holder.host}, ` +
        `started ${holder.startedAt}${holder.url ? `, serving ${holder.url}` : ''}). ` +
        'Only one Gatehouse may serve a data folder: stop that one, or use --data-dir for another folder.',
    );
    this.dataDir = dataDir;
    this.holder = holder;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive claim on a data folder for one serving process. A lock left by a process that no
 * longer runs (on this host) is taken over; a live holder makes `acquire` throw {@link DataFolderBusyError}.
 */
export class DataFolderLock {
  readonly #file: string;
  #held = false;

  readonly dataDir: string;

  constructor(dataDir: string) {
    this.dataDir = dataDir;
    this.#file = path.join(dataDir, 'gatehouse.lock');
  }

  acquire(kind: LockHolder['kind']): void {
    const me: LockHolder = {
      pid: process.pid,
      host: os.hostname(),
      startedAt: new Date().toISOString(),
      kind,
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(this.#file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
        this.#held = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = this.readHolder();
      if (holder && holder.host === os.hostname() && !isAlive(holder.pid)) {
        fs.rmSync(this.#file, { force: true });
        continue;
      }
      if (holder) throw new DataFolderBusyError(this.dataDir, holder);
      // Unreadable lock (half-written by a crash): treat as stale.
      fs.rmSync(this.#file, { force: true });
    }
    throw new Error(`could not lock ${this.dataDir}`);
  }

  /** Records the URL being served so a second process can say where the first one is. */
  update(fields: Partial<LockHolder>): void {
    if (!this.#held) return;
    const holder = this.readHolder();
    if (holder) fs.writeFileSync(this.#file, JSON.stringify({ ...holder, ...fields }), { mode: 0o600 });
  }

  readHolder(): LockHolder | undefined {
    try {
      const value = JSON.parse(fs.readFileSync(this.#file, 'utf8')) as Partial<LockHolder> | null;
      const ok =
        value &&
        Number.isInteger(value.pid) &&
        typeof value.host === 'string' &&
        typeof value.startedAt === 'string';
      return ok ? (value as LockHolder) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The holder, unless it is a process of this host that no longer runs (a lock left by a crash). */
  readLiveHolder(): LockHolder | undefined {
    const holder = this.readHolder();
    return holder && (holder.host !== os.hostname() || isAlive(holder.pid)) ? holder : undefined;
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    const holder = this.readHolder();
    if (holder?.pid === process.pid) fs.rmSync(this.#file, { force: true });
  }
}
