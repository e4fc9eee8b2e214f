import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPages } from '../../../electron/main/app/app-pages.ts';
import { describeStartupError } from '../../../electron/main/app/startup-errors.ts';
import { DataFolderBusyError } from '../../../electron/main/store/data-lock.ts';
import { isAppUrl } from '../../../electron/main/windows/app-url.ts';

const mainDir = path.resolve('/opt/gatehouse/out/main');

describe('resolveAppPages', () => {
  it('loads the built renderer and preload next to the bundled main', () => {
    const pages = resolveAppPages({ mainDir, isPackaged: false, env: {} });
    expect(pages.settingsPage).toEqual({
      kind: 'file',
      path: path.resolve('/opt/gatehouse/out/renderer/index.html'),
    });
    expect(pages.settingsPreload).toBe(path.resolve('/opt/gatehouse/out/preload/settings.cjs'));
    expect(pages.dev).toBe(false);
    expect(isAppUrl('file:///opt/gatehouse/out/renderer/index.html', pages.origins)).toBe(true);
  });

  it('uses a loopback dev server only when not packaged', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };
    const dev = resolveAppPages({ mainDir, isPackaged: false, env });
    expect(dev.settingsPage).toEqual({ kind: 'url', url: 'http://localhost:5173/' });
    expect(dev.connectSrc).toEqual(['ws://localhost:5173']);
    expect(dev.dev).toBe(true);
    expect(resolveAppPages({ mainDir, isPackaged: true, env }).dev).toBe(false);
    const remote = resolveAppPages({
      mainDir,
      isPackaged: false,
      env: { ELECTRON_RENDERER_URL: 'http://evil.example/' },
    });
    expect(remote.dev).toBe(false);
    expect(remote.origins.devServerUrl).toBeUndefined();
  });
});

describe('describeStartupError', () => {
  it('says which Gatehouse holds the data folder and what to do', () => {
    const error = new DataFolderBusyError('/home/me/.config/Gatehouse', {
      pid: 4242,
      host: 'box',
      startedAt: '2026-01-01T00:00:00.000Z',
      kind: 'serve',
      url: 'http://127.0.0.1:7337',
    });
    const text = describeStartupError(error);
    expect(text.title).toBe('Gatehouse is already running');
    expect(text.message).toContain('`gatehouse serve` (process 4242 on box)');
    expect(text.message).toContain('serving http://127.0.0.1:7337');
    expect(text.message).toContain('Stop the other one');
  });

  it('passes other errors through', () => {
    expect(describeStartupError(new Error('disk full'))).toEqual({
      title: 'Gatehouse cannot start',
      message: 'disk full',
    });
  });
});
