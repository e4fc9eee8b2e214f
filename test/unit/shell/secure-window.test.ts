import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from 'electron';
import { nullLogger } from '../../../electron/main/base/logger.ts';

/** A stand-in BrowserWindow that records what the factory asked for. */
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  class FakeWebContents {
    static nextId = 1;
    readonly id = FakeWebContents.nextId++;
    readonly listeners = new Map<string, Listener>();
    openHandler: Listener | undefined;
    on(event: string, listener: Listener) {
      this.listeners.set(event, listener);
      return this;
    }
    setWindowOpenHandler(handler: Listener) {
      this.openHandler = handler;
    }
  }
  class FakeBrowserWindow {
    static created: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    readonly options: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      this.options = options;
      FakeBrowserWindow.created.push(this);
    }
    once() {
      return this;
    }
    isDestroyed() {
      return false;
    }
  }
  return { FakeBrowserWindow };
});

vi.mock('electron', () => ({ BrowserWindow: fake.FakeBrowserWindow }));

const { createSecureWindowFactory, secureWebPreferences } =
  await import('../../../electron/main/windows/secure-window.ts');
const { WindowRegistry } = await import('../../../electron/main/windows/window-registry.ts');

function fakeSession() {
  const calls = {
    permission: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    check: undefined as undefined | (() => boolean),
    headers: undefined as
      | undefined
      | ((d: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void),
    download: undefined as undefined | ((event: { preventDefault(): void }) => void),
  };
  const session = {
    setPermissionRequestHandler: (h: typeof calls.permission) => (calls.permission = h),
    setPermissionCheckHandler: (h: typeof calls.check) => (calls.check = h),
    on: (_event: string, h: typeof calls.download) => (calls.download = h),
    webRequest: { onHeadersReceived: (h: typeof calls.headers) => (calls.headers = h) },
  };
  return { session: session as unknown as Session, calls };
}

function setup() {
  const { session, calls } = fakeSession();
  const openExternal = vi.fn(async () => {});
  const registry = new WindowRegistry();
  const create = createSecureWindowFactory({
    session,
    isAppUrl: (url) => url?.startsWith('file:///app/renderer/') ?? false,
    csp: "default-src 'self'",
    openExternal,
    registry,
    logger: nullLogger,
    devTools: false,
  });
  const window = create({
    kind: 'settings',
    preload: '/app/preload/settings.cjs',
    title: 'Gatehouse',
    width: 800,
    height: 600,
  });
  const created = fake.FakeBrowserWindow.created.at(-1)!;
  return { window, created, calls, openExternal, registry };
}

describe('createSecureWindowFactory', () => {
  beforeEach(() => {
    fake.FakeBrowserWindow.created = [];
  });

  it('creates hidden windows with the secure webPreferences and nothing else', () => {
    const { created } = setup();
    const prefs = created.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      preload: '/app/preload/settings.cjs',
    });
    expect(created.options.show).toBe(false);
    expect(prefs).toEqual(secureWebPreferences('/app/preload/settings.cjs', prefs.session as Session, false));
  });

  it('denies navigation and new windows, sending only https links to the browser', async () => {
    const { created, openExternal } = setup();
    const navigate = created.webContents.listeners.get('will-navigate')!;
    const preventDefault = vi.fn();
    navigate({ preventDefault, url: 'https://example.com/docs' });
    expect(preventDefault).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledWith('https://example.com/docs');

    const open = created.webContents.openHandler!;
    expect(open({ url: 'https://example.com/a' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    navigate({ preventDefault, url: 'http://insecure.example/' });
    await Promise.resolve();
    expect(openExternal.mock.calls).toEqual([['https://example.com/docs'], ['https://example.com/a']]);
  });

  it('denies webviews, permissions and downloads', () => {
    const { created, calls } = setup();
    const attach = vi.fn();
    created.webContents.listeners.get('will-attach-webview')!({ preventDefault: attach });
    expect(attach).toHaveBeenCalled();
    const answer = vi.fn();
    calls.permission!({}, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    expect(calls.check!()).toBe(false);
    const download = vi.fn();
    calls.download!({ preventDefault: download });
    expect(download).toHaveBeenCalled();
  });

  it('sets the CSP header on our pages only, replacing any other policy', () => {
    const { calls } = setup();
    const answer = vi.fn();
    calls.headers!(
      {
        url: 'file:///app/renderer/index.html',
        responseHeaders: { 'content-security-policy': ['x'], a: ['1'] },
      },
      answer,
    );
    expect(answer).toHaveBeenCalledWith({
      responseHeaders: { a: ['1'], 'Content-Security-Policy': ["default-src 'self'"] },
    });
    calls.headers!({ url: 'https://example.com/' }, answer);
    expect(answer).toHaveBeenLastCalledWith({});
  });

  it('registers the window so IPC trusts its webContents', () => {
    const { created, registry } = setup();
    expect(registry.has(created.webContents.id)).toBe(true);
    expect(registry.kindOf(created.webContents.id)).toBe('settings');
    expect(registry.has(created.webContents.id + 1000)).toBe(false);
  });

  it('lets a window kind choose its place and chrome, never its web preferences', () => {
    const { session } = fakeSession();
    const registry = new WindowRegistry();
    const create = createSecureWindowFactory({
      session,
      isAppUrl: () => true,
      csp: "default-src 'self'",
      openExternal: vi.fn(async () => {}),
      registry,
      logger: nullLogger,
      devTools: true,
    });
    create({
      kind: 'popup',
      preload: '/app/preload/popup.cjs',
      title: 'Gatehouse — approval',
      width: 380,
      height: 520,
      x: 10,
      y: 20,
      alwaysOnTop: true,
      resizable: false,
      // A stray option from a caller cannot switch the sandbox off.
      ...({ webPreferences: { sandbox: false, nodeIntegration: true } } as object),
    });
    const created = fake.FakeBrowserWindow.created.at(-1)!;
    expect(created.options).toMatchObject({ x: 10, y: 20, alwaysOnTop: true, resizable: false, show: false });
    expect(created.options).not.toHaveProperty('minWidth');
    expect(created.options.webPreferences).toMatchObject({
      sandbox: true,
      nodeIntegration: false,
      contextIsolation: true,
      preload: '/app/preload/popup.cjs',
    });
    expect(registry.kindOf(created.webContents.id)).toBe('popup');
    expect(registry.countOf('popup')).toBe(1);
    expect(registry.countOf('settings')).toBe(0);
  });
});
