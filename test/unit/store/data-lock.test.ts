import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DataFolderBusyError,
  DataFolderLock,
  type LockHolder,
} from '../../../electron/main/store/data-lock.ts';

/** The pid of a process that has run and exited (and been reaped), so it no longer exists. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start node');
  await new Promise<void>((resolve, reject) => {
    child.once('exit', () => resolve());
    child.once('error', reject);
  });
  return pid;
}

describe('DataFolderLock', () => {
  let dir: string;
  let lockFile: string;
  const locks: DataFolderLock[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-lock-'));
    lockFile = path.join(dir, 'gatehouse.lock');
  });
  afterEach(() => {
    for (const lock of locks.splice(0)) lock.release();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function lock(): DataFolderLock {
    const l = new DataFolderLock(dir);
    locks.push(l);
    return l;
  }

  function holderOnDisk(): LockHolder {
    return JSON.parse(fs.readFileSync(lockFile, 'utf8')) as LockHolder;
  }

  it('writes who holds the folder', () => {
    const before = Date.now();
    lock().acquire('serve');
    const holder = holderOnDisk();
    expect(holder.pid).toBe(process.pid);
    expect(holder.host).toBe(os.hostname());
    expect(holder.kind).toBe('serve');
    expect(Date.parse(holder.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    if (process.platform !== 'win32') expect(fs.statSync(lockFile).mode & 0o777).toBe(0o600);
  });

  it('refuses a second holder while the first is alive, naming its pid', () => {
    const first = lock();
    first.acquire('desktop');
    const second = lock();
    let error: unknown;
    try {
      second.acquire('serve');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataFolderBusyError);
    const busy = error as DataFolderBusyError;
    expect(busy.message).toContain(`pid ${process.pid}`);
    expect(busy.message).toContain('desktop');
    expect(busy.message).toContain(dir);
    expect(busy.message).toContain('--data-dir');
    expect(busy.dataDir).toBe(dir);
    expect(busy.holder.pid).toBe(process.pid);
    // The first holder's claim is untouched.
    expect(holderOnDisk().kind).toBe('desktop');
  });

  it('names the URL being served once it is known', () => {
    const first = lock();
    first.acquire('serve');
    first.update({ url: 'http://127.0.0.1:7337' });
    expect(holderOnDisk().url).toBe('http://127.0.0.1:7337');
    expect(holderOnDisk().pid).toBe(process.pid);
    expect(() => lock().acquire('serve')).toThrow(/serving http:\/\/127\.0\.0\.1:7337/);
  });

  it('update does nothing for a lock that is not held', () => {
    lock().acquire('serve');
    const other = lock();
    other.update({ url: 'http://elsewhere' });
    expect(holderOnDisk().url).toBeUndefined();
  });

  it('takes over a lock left by a process that has exited', async () => {
    const pid = await deadPid();
    const stale: LockHolder = {
      pid,
      host: os.hostname(),
      startedAt: new Date(Date.now() - 60_000).toISOString(),
      kind: 'serve',
    };
    fs.writeFileSync(lockFile, JSON.stringify(stale));
    const l = lock();
    l.acquire('desktop');
    expect(holderOnDisk().pid).toBe(process.pid);
    expect(holderOnDisk().kind).toBe('desktop');
  });

  it('does not take over a lock of another host (it cannot tell whether that one is alive)', async () => {
    const pid = await deadPid();
    fs.writeFileSync(
      lockFile,
      JSON.stringify({ pid, host: 'some-other-machine', startedAt: new Date().toISOString(), kind: 'serve' }),
    );
    expect(() => lock().acquire('serve')).toThrow(DataFolderBusyError);
    expect(holderOnDisk().host).toBe('some-other-machine');
  });

  it("readLiveHolder hides a crashed holder of this host, but not a live one or another host's", async () => {
    const pid = await deadPid();
    const crashed = { pid, host: os.hostname(), startedAt: new Date().toISOString(), kind: 'serve' };
    fs.writeFileSync(lockFile, JSON.stringify(crashed));
    expect(lock().readHolder()).toEqual(crashed);
    expect(lock().readLiveHolder()).toBeUndefined();

    const elsewhere = { ...crashed, host: 'some-other-machine' };
    fs.writeFileSync(lockFile, JSON.stringify(elsewhere));
    expect(lock().readLiveHolder()).toEqual(elsewhere);

    const live = lock();
    fs.rmSync(lockFile);
    live.acquire('serve');
    expect(lock().readLiveHolder()).toMatchObject({ pid: process.pid, kind: 'serve' });
    live.release();
  });

  it('treats an unreadable (half-written) lock as stale', () => {
    fs.writeFileSync(lockFile, '{"pid": 12');
    lock().acquire('serve');
    expect(holderOnDisk().pid).toBe(process.pid);
  });

  const wrongShapes: [string, string][] = [
    ['an empty object', '{}'],
    ['a number', '123'],
    ['null', 'null'],
    ['a string', '"held"'],
    ['an array', JSON.stringify([{ pid: 1, host: os.hostname(), startedAt: '' }])],
    ['a pid that is a string', JSON.stringify({ pid: '1', host: os.hostname(), startedAt: '' })],
    ['a fractional pid', JSON.stringify({ pid: 1.5, host: os.hostname(), startedAt: '' })],
    ['no host', JSON.stringify({ pid: 1, startedAt: '' })],
    ['a host that is not a string', JSON.stringify({ pid: 1, host: 7, startedAt: '' })],
    ['no startedAt', JSON.stringify({ pid: 1, host: 'some-other-machine' })],
  ];

  it.each(wrongShapes)('readHolder answers undefined for a lock holding %s', (_label, text) => {
    fs.writeFileSync(lockFile, text);
    expect(lock().readHolder()).toBeUndefined();
  });

  it.each(wrongShapes)('takes over a lock holding %s, as an unreadable one', (_label, text) => {
    fs.writeFileSync(lockFile, text);
    const l = lock();
    expect(() => l.acquire('serve')).not.toThrow();
    expect(holderOnDisk()).toMatchObject({ pid: process.pid, host: os.hostname(), kind: 'serve' });
    l.release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('readHolder gives the holder of a well-formed lock', () => {
    const holder = {
      pid: 4242,
      host: 'some-other-machine',
      startedAt: '2025-01-01T00:00:00.000Z',
      kind: 'serve',
    };
    fs.writeFileSync(lockFile, JSON.stringify(holder));
    expect(lock().readHolder()).toEqual(holder);
  });

  it('release removes the lock so another holder can acquire', () => {
    const first = lock();
    first.acquire('serve');
    first.release();
    expect(fs.existsSync(lockFile)).toBe(false);
    const second = lock();
    second.acquire('desktop');
    expect(holderOnDisk().kind).toBe('desktop');
  });

  it('release is idempotent and does nothing for a lock never acquired', () => {
    const first = lock();
    first.acquire('serve');
    const never = lock();
    never.release();
    expect(fs.existsSync(lockFile)).toBe(true);
    first.release();
    first.release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('a failed acquire does not make the instance a holder', () => {
    const first = lock();
    first.acquire('serve');
    const second = lock();
    expect(() => second.acquire('serve')).toThrow(DataFolderBusyError);
    second.release();
    expect(fs.existsSync(lockFile)).toBe(true);
  });

  it('release leaves a lock that now belongs to another process', () => {
    const first = lock();
    first.acquire('serve');
    const foreign = { pid: process.pid + 1_000_000, host: os.hostname(), startedAt: '', kind: 'serve' };
    fs.writeFileSync(lockFile, JSON.stringify(foreign));
    first.release();
    expect(fs.existsSync(lockFile)).toBe(true);
  });

  it('readHolder answers undefined when no one holds the folder', () => {
    expect(lock().readHolder()).toBeUndefined();
  });
});
