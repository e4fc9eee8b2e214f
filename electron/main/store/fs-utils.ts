import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/** Creates the data folder readable by the owner only. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Writes a file atomically (temp file, fsync, rename), so a crash never leaves half a file. Text is
 * written as UTF-8, bytes exactly as given. The file gets exactly `mode` (not reduced by the umask).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.tmp`,
  );
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done);
      fs.fchmodSync(fd, mode);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

/** Moves a damaged file aside (never deletes it) and returns where it went. */
export function keepAside(file: string, reason: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside = `${file}.${reason}-${stamp}`;
  fs.renameSync(file, aside);
  return aside;
}

/**
 * Runs `fn` while holding an exclusive lock file beside `file`, so two processes (the CLI and a
 * running `serve`) never interleave a read-modify-write. A lock older than `staleMs` is broken.
 */
export function withFileLock<T>(file: string, fn: () => T, staleMs = 10_000, waitMs = 5_000): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > staleMs) {
          fs.rmSync(lock, { force: true });
          continue;
        }
      } catch {
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`${path.basename(file)} is locked by another Gatehouse process`, { cause: error });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
