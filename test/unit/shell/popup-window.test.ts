import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { nullLogger } from '../../../electron/main/base/logger.ts';
import { PopupWindow } from '../../../electron/main/windows/popup-window.ts';
import type { SecureWindowOptions } from '../../../electron/main/windows/secure-window.ts';
import { SettingsWindow } from '../../../electron/main/windows/settings-window.ts';

vi.mock('electron', () => {
  throw new Error('the window classes take their factory; electron is not loaded here');
});

/** A stand-in window recording what was asked of it. */
class FakeWindow {
  readonly options: SecureWindowOptions;
  readonly calls: string[] = [];
  readonly once = vi.fn((event: string, listener: () => void) => {
    this.listeners.set(event, listener);
    return this;
  });
  readonly listeners = new Map<string, () => void>();
  destroyed = false;
  visible = false;
  loaded: unknown[] = [];
  constructor(options: SecureWindowOptions) {
    this.options = options;
  }
  isDestroyed = () => this.destroyed;
  isVisible = () => this.visible;
  isMinimized = () => false;
  show = () => void (this.calls.push('show'), (this.visible = true));
  showInactive = () => void (this.calls.push('showInactive'), (this.visible = true));
  focus = () => void this.calls.push('focus');
  restore = () => void this.calls.push('restore');
  close = () => {
    this.destroyed = true;
    this.listeners.get('closed')?.();
  };
  loadFile = vi.fn(async (...args: unknown[]) => void this.loaded.push(args));
  loadURL = vi.fn(async (...args: unknown[]) => void this.loaded.push(args));
}

let created: FakeWindow[] = [];
const createWindow = (options: SecureWindowOptions) => {
  const window = new FakeWindow(options);
  created.push(window);
  return window as unknown as BrowserWindow;
};
beforeEach(() => {
  created = [];
});

describe('PopupWindow', () => {
  const page = { kind: 'file' as const, path: '/app/out/renderer/index.html' };
  const workArea = { x: 0, y: 0, width: 1920, height: 1080 };

  it('is a small always-on-top popup window near the tray, loading #/popup with its own preload', () => {
    const popup = new PopupWindow({
      createWindow,
      preload: '/app/out/preload/popup.cjs',
      page,
      trayBounds: () => ({ x: 1700, y: 1050, width: 24, height: 30 }),
      workArea: () => workArea,
      logger: nullLogger,
    });
    popup.show({ focus: false });
    const window = created[0]!;
    expect(window.options).toMatchObject({
      kind: 'popup',
      preload: '/app/out/preload/popup.cjs',
      width: 380,
      height: 520,
      alwaysOnTop: true,
      resizable: false,
      x: 1522,
      y: 1050 - 520 - 8,
    });
    expect(window.loaded).toEqual([['/app/out/renderer/index.html', { hash: '/popup' }]]);
    window.listeners.get('ready-to-show')?.();
    // An approval that arrives does not take the keyboard from the app the person is typing in.
    expect(window.calls).toEqual(['showInactive']);
    popup.show({ focus: true });
    expect(created).toHaveLength(1);
    expect(window.calls).toEqual(['showInactive', 'show', 'focus']);
  });

  it('is centred where the tray position is unknown, and destroyed on close', () => {
    const popup = new PopupWindow({
      createWindow,
      preload: '/p.cjs',
      page: { kind: 'url', url: 'http://localhost:5173/' },
      trayBounds: () => undefined,
      workArea: () => workArea,
      logger: nullLogger,
    });
    popup.show({ focus: true });
    expect(created[0]?.options).toMatchObject({ x: 770, y: 280 });
    expect(created[0]?.loaded).toEqual([['http://localhost:5173/#/popup']]);
    popup.close();
    expect(popup.isOpen).toBe(false);
    popup.show({ focus: true });
    expect(created).toHaveLength(2);
  });
});

describe('SettingsWindow', () => {
  it('opens on a page route and reports when it was closed', () => {
    const settings = new SettingsWindow({
      createWindow,
      preload: '/s.cjs',
      page: { kind: 'file', path: '/app/index.html' },
      logger: nullLogger,
    });
    const closed = vi.fn();
    settings.onDidClose(closed);
    settings.open('changes');
    expect(created[0]?.options.kind).toBe('settings');
    expect(created[0]?.loaded).toEqual([['/app/index.html', { hash: '/changes' }]]);
    settings.open('logins');
    expect(created).toHaveLength(1);
    expect(created[0]?.loaded.at(-1)).toEqual(['/app/index.html', { hash: '/logins' }]);
    settings.close();
    expect(closed).toHaveBeenCalledOnce();
    expect(settings.isOpen).toBe(false);
  });
});
