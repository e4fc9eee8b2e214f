import { describe, expect, it, vi } from 'vitest';
import { CLI_FLAG, headlessArgs, runHeadless } from '../../../electron/main/app/headless-mode.ts';

vi.mock('electron', () => {
  throw new Error('electron must not be loaded by the headless mode');
});

describe('headlessArgs', () => {
  it('takes the arguments after --cli, packaged and unpackaged', () => {
    expect(headlessArgs(['/opt/Gatehouse/gatehouse', CLI_FLAG, 'client', 'list'], false)).toEqual([
      'client',
      'list',
    ]);
    expect(headlessArgs(['/x/electron', '/repo', '--cli', 'serve', '--port', '0'], true)).toEqual([
      'serve',
      '--port',
      '0',
    ]);
    expect(headlessArgs(['/opt/Gatehouse/gatehouse', '--cli'], false)).toEqual([]);
    // The Linux launcher without a display puts a Chromium switch first.
    expect(
      headlessArgs(['/opt/Gatehouse/gatehouse', '--ozone-platform=headless', '--cli', 'serve'], false),
    ).toEqual(['serve']);
  });

  it('is the desktop app otherwise (--cli only counts as the first argument)', () => {
    expect(headlessArgs(['/opt/Gatehouse/gatehouse'], false)).toBeUndefined();
    expect(headlessArgs(['/opt/Gatehouse/gatehouse', 'serve', '--cli'], false)).toBeUndefined();
    expect(headlessArgs(['/x/electron', '/repo'], true)).toBeUndefined();
  });
});

describe('runHeadless', () => {
  it('runs the command line, exits with its status, and never opens anything', async () => {
    const app = { on: vi.fn(), exit: vi.fn(), dock: { hide: vi.fn() } };
    const runCli = vi.fn(async () => 2);
    await runHeadless(app, ['config', 'get'], runCli);
    expect(runCli).toHaveBeenCalledWith(['config', 'get']);
    expect(app.exit).toHaveBeenCalledWith(2);
    expect(app.dock.hide).toHaveBeenCalled();
  });

  it('turns a quit request from the OS into SIGTERM for the running command, once', async () => {
    const listeners = new Map<string, (event: { preventDefault(): void }) => void>();
    const app = {
      on: vi.fn((name: string, fn: (event: { preventDefault(): void }) => void) => listeners.set(name, fn)),
      exit: vi.fn(),
    };
    let finish: (code: number) => void = () => {};
    const sigterm = vi.fn();
    process.on('SIGTERM', sigterm);
    try {
      const done = runHeadless(
        app as never,
        ['serve'],
        () => new Promise<number>((resolve) => (finish = resolve)),
      );
      const preventDefault = vi.fn();
      listeners.get('before-quit')?.({ preventDefault });
      listeners.get('before-quit')?.({ preventDefault });
      expect(preventDefault).toHaveBeenCalledTimes(2);
      expect(sigterm).toHaveBeenCalledOnce();
      finish(0);
      await done;
      expect(app.exit).toHaveBeenCalledWith(0);
      const after = vi.fn();
      listeners.get('before-quit')?.({ preventDefault: after });
      expect(after).not.toHaveBeenCalled();
    } finally {
      process.off('SIGTERM', sigterm);
    }
  });

  it('reports a crash of the command as status 1', async () => {
    const app = { on: vi.fn(), exit: vi.fn() };
    const lines: string[] = [];
    const write = vi
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: unknown, callback?: unknown) => {
        lines.push(String(chunk));
        if (typeof callback === 'function') (callback as () => void)();
        return true;
      });
    try {
      await runHeadless(app, ['x'], async () => {
        throw new Error('boom');
      });
    } finally {
      write.mockRestore();
    }
    expect(app.exit).toHaveBeenCalledWith(1);
    expect(lines.join('')).toContain('gatehouse: boom');
  });
});
