/**
 * The desktop composition root (electron/main/index.ts) run against a fake Electron: the real core
 * (settings, gateway on a free port, stores in a temporary data folder), the real tray/popup/IPC
 * wiring, with Electron's objects replaced by recorders. Checks that the parts are connected: the
 * tray shows the gateway and reacts to events, IPC answers the settings window, start at login follows
 * the setting, a desktop without a tray gets the window, and Quit stops everything and frees the
 * data folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startToolRiskServer, type ToolRiskServer } from '../../fixtures/tool-risk-server.ts';
import { runCli } from '../../../electron/main/headless/cli.ts';
import { ipcChannelFor, OPEN_EXTERNAL_CHANNEL } from '../../../electron/main/ipc/bridge-protocol.ts';
import type { TrayMenuItem } from '../../../electron/main/app/tray-menu.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-desktop-'));
const dataDir = path.join(temp, 'data');
const configHome = path.join(temp, 'config');

/** Recorders standing in for Electron's main-process API. */
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  class Events {
    readonly listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener) {
      return this.on(event, listener);
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    }
  }
  let nextId = 1;
  class WebContents extends Events {
    readonly id = nextId++;
    url = '';
    readonly sent: unknown[][] = [];
    setWindowOpenHandler() {}
    getURL() {
      return this.url;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
  }
  class BrowserWindow extends Events {
    static all: BrowserWindow[] = [];
    readonly webContents = new WebContents();
    readonly options: Record<string, unknown>;
    destroyed = false;
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      BrowserWindow.all.push(this);
    }
    async loadFile(file: string, options?: { hash?: string }) {
      this.webContents.url = `${String(pathToFileURLLike(file))}${options?.hash ? `#${options.hash}` : ''}`;
    }
    async loadURL(url: string) {
      this.webContents.url = url;
    }
    isDestroyed = () => this.destroyed;
    isMinimized = () => false;
    isVisible = () => true;
    show() {}
    showInactive() {}
    focus() {}
    restore() {}
    close() {
      if (this.destroyed) return;
      this.destroyed = true;
      this.emit('closed');
    }
  }
  // pathToFileURL without importing node:url into the hoisted block.
  const pathToFileURLLike = (file: string) => `file://${file.split('\\').join('/')}`;
  class Tray extends Events {
    static all: Tray[] = [];
    image: { file?: string } | undefined;
    tooltip = '';
    menu: unknown[] = [];
    destroyed = false;
    constructor(image: { file?: string }) {
      super();
      this.image = image;
      Tray.all.push(this);
    }
    setImage(image: { file?: string }) {
      this.image = image;
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setContextMenu(menu: unknown[]) {
      this.menu = menu;
    }
    getBounds() {
      return { x: 0, y: 0, width: 0, height: 0 };
    }
    isDestroyed = () => this.destroyed;
    destroy() {
      this.destroyed = true;
    }
  }
  class Notification extends Events {
    static shown: { title: string; body: string }[] = [];
    static isSupported = () => true;
    readonly options: { title: string; body: string };
    constructor(options: { title: string; body: string }) {
      super();
      this.options = options;
    }
    show() {
      Notification.shown.push(this.options);
    }
    close() {}
  }
  const handlers = new Map<string, Listener>();
  const appEvents = new Events();
  const calls = {
    exit: [] as number[],
    loginItems: [] as unknown[],
    messages: [] as unknown[],
    errors: [] as unknown[],
    opened: [] as string[],
    quitRequests: 0,
  };
  const app = Object.assign(appEvents, {
    isPackaged: false,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    quit() {
      calls.quitRequests++;
      let prevented = false;
      appEvents.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) appEvents.emit('will-quit');
    },
    exit: (code: number) => void calls.exit.push(code),
    getAppPath: () => '/repo',
    setLoginItemSettings: (settings: unknown) => void calls.loginItems.push(settings),
    setAppUserModelId() {},
    dock: undefined,
  });
  const session = {
    setPermissionRequestHandler() {},
    setPermissionCheckHandler() {},
    on() {},
    webRequest: { onHeadersReceived() {} },
  };
  const electron = {
    app,
    BrowserWindow,
    Tray,
    Notification,
    Menu: { buildFromTemplate: (template: unknown[]) => template },
    nativeImage: {
      createFromPath: (file: string) => ({ file, isEmpty: () => false, setTemplateImage() {} }),
      createFromDataURL: () => ({ isEmpty: () => false, addRepresentation() {}, setTemplateImage() {} }),
    },
    ipcMain: {
      handle: (channel: string, handler: Listener) => void handlers.set(channel, handler),
      removeHandler: (channel: string) => void handlers.delete(channel),
    },
    session: { fromPartition: () => session },
    shell: { openExternal: async (url: string) => void calls.opened.push(url) },
    dialog: {
      showErrorBox: (...args: unknown[]) => void calls.errors.push(args),
      showMessageBox: async (options: unknown) => {
        calls.messages.push(options);
        return { response: 0 };
      },
    },
    safeStorage: { isEncryptionAvailable: () => false },
    screen: {
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
      getDisplayMatching: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
    },
  };
  return { electron, BrowserWindow, Tray, Notification, handlers, calls };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));
// electron-store reads Electron's app paths; the desktop's settings file is the same conf file.
vi.mock('../../../electron/main/app/electron-store-conf.ts', async () => {
  const { default: Conf } = await import('conf');
  return { createElectronConf: (options: ConstructorParameters<typeof Conf>[0]) => new Conf(options) };
});

const env = { ...process.env };
let upstream: ToolRiskServer | undefined;

async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 800; i++) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const tray = () => fake.Tray.all[0];
const menuItems = (): TrayMenuItem[] =>
  ((tray()?.menu ?? []) as TrayMenuItem[]).flatMap((item) => [item, ...(item.submenu ?? [])]);
const settingsWindow = () => fake.BrowserWindow.all.find((w) => (w.options.title as string) === 'Gatehouse');
const popups = () => fake.BrowserWindow.all.filter((w) => (w.options.title as string).includes('approval'));

/** Calls an IPC handler as the settings window's page (or another window's) would. */
function invoke(channel: string, input?: unknown, window = settingsWindow()) {
  if (!window) throw new Error('no such window');
  const handler = fake.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(
    { sender: { id: window.webContents.id }, senderFrame: { url: window.webContents.url, parent: null } },
    input,
  ) as Promise<{ ok: boolean; value?: unknown; error?: string }>;
}

beforeAll(async () => {
  // A free port, set the way a person would.
  const quiet = { out: () => {}, err: () => {}, env: {} };
  expect(await runCli(['config', 'set', 'gateway.port', '0', '--data-dir', dataDir], quiet)).toBe(0);
  process.env.GATEHOUSE_DATA_DIR = dataDir;
  process.env.XDG_CONFIG_HOME = configHome;
  // No session bus: this "desktop" has no tray host.
  delete process.env.DBUS_SESSION_BUS_ADDRESS;
  delete process.env.XDG_RUNTIME_DIR;
  await import('../../../electron/main/index.ts');
  await until(() => tray()?.tooltip.includes('http://127.0.0.1:'), 'the gateway in the tray');
}, 60_000);

afterAll(async () => {
  await upstream?.close();
  process.env = env;
  fs.rmSync(temp, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('the desktop app (fake Electron, real core)', () => {
  it('starts with the tray showing the gateway and the ok icon from build/tray', () => {
    expect(menuItems()[0]?.label).toMatch(/^Gateway: http:\/\/127\.0\.0\.1:\d+$/);
    expect(tray()?.image?.file).toBe(path.join(REPO, 'build', 'tray', 'tray-ok.png'));
    expect(fs.existsSync(path.join(dataDir, 'gatehouse.lock'))).toBe(true);
  });

  it('without a tray host, opens the settings window and says why', () => {
    expect(settingsWindow()).toBeDefined();
    expect(settingsWindow()?.webContents.url).toBe(
      `${pathToFileURL(path.join(REPO, 'electron', 'renderer', 'index.html')).href}#/`,
    );
    expect(fake.calls.messages).toEqual([expect.objectContaining({ message: 'No tray icon' })]);
  });

  it('answers the settings window over IPC, and refuses a non-https link', async () => {
    const status = await invoke(ipcChannelFor('status.get'));
    expect(status).toMatchObject({ ok: true, value: { state: 'listening', dataDir } });
    expect(await invoke(OPEN_EXTERNAL_CHANNEL, 'https://modelcontextprotocol.io/')).toEqual({
      ok: true,
      value: true,
    });
    expect(await invoke(OPEN_EXTERNAL_CHANNEL, 'file:///etc/passwd')).toMatchObject({ ok: false });
    expect(fake.calls.opened).toEqual(['https://modelcontextprotocol.io/']);
  });

  it('pauses writes from the tray menu; the icon and menu follow the event', async () => {
    menuItems()
      .find((item) => item.id === 'pause:15')
      ?.click?.();
    await until(() => menuItems().some((item) => item.id === 'resume'), 'the Resume item');
    expect(tray()?.image?.file).toBe(path.join(REPO, 'build', 'tray', 'tray-paused.png'));
    expect(settingsWindow()?.webContents.sent).toContainEqual([
      'gatehouse:service-event',
      { type: 'rules-changed' },
    ]);
    menuItems()
      .find((item) => item.id === 'resume')
      ?.click?.();
    await until(() => tray()?.image?.file?.endsWith('tray-ok.png'), 'the ok icon again');
  });

  it('follows the start-at-login setting with an autostart entry', async () => {
    const file = path.join(configHome, 'autostart', 'gatehouse.desktop');
    expect(fs.existsSync(file)).toBe(false);
    expect(
      await invoke(ipcChannelFor('settings.set'), { key: 'app.startAtLogin', value: true }),
    ).toMatchObject({
      ok: true,
    });
    await until(() => fs.existsSync(file), 'the autostart entry');
    expect(fs.readFileSync(file, 'utf8')).toContain(`Exec=${process.execPath} /repo\n`);
    await invoke(ipcChannelFor('settings.set'), { key: 'app.startAtLogin', value: false });
    await until(() => !fs.existsSync(file), 'the autostart entry to go');
  });

  it('an approval opens the popup near the tray, notifies, and the popup answers it', async () => {
    upstream = await startToolRiskServer();
    const added = await invoke(ipcChannelFor('servers.add'), { name: 'risky', url: upstream.url });
    expect(added).toMatchObject({ ok: true });
    const { value: created } = (await invoke(ipcChannelFor('clients.add'), { name: 'agent' })) as {
      value: { token: string };
    };
    const { value: status } = (await invoke(ipcChannelFor('status.get'))) as { value: { url: string } };
    const client = new Client({ name: 'desktop-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${status.url}/mcp/risky`), {
        requestInit: { headers: { authorization: `Bearer ${created.token}` } },
      }),
    );
    try {
      // write_file asks by default: the call waits for the person.
      const result = client.request(
        {
          method: 'tools/call',
          params: { name: 'write_file', arguments: { path: '/tmp/x', content: 'hi' } },
        },
        CallToolResultSchema,
      );
      const popup = await until(() => popups()[0], 'the approval popup');
      expect(popup.options).toMatchObject({ alwaysOnTop: true, width: 380, height: 520, x: 770, y: 280 });
      expect(popup.webContents.url.endsWith('#/popup')).toBe(true);
      expect((popup.options.webPreferences as { preload: string }).preload).toMatch(/popup\.cjs$/);
      await until(() => fake.Notification.shown.length > 0, 'a notification');
      expect(fake.Notification.shown[0]).toMatchObject({
        title: 'A tool call waits for your answer',
        body: 'agent → risky: write_file',
      });
      await until(() => tray()?.image?.file?.endsWith('tray-attention.png'), 'the attention icon');
      expect(menuItems().some((item) => item.label === 'agent → risky: write_file')).toBe(true);

      // The popup may list and answer approvals, and nothing else.
      expect(await invoke(ipcChannelFor('servers.list'), undefined, popup)).toEqual({
        ok: false,
        error: 'the popup window may not call servers.list',
      });
      const { value: pending } = (await invoke(ipcChannelFor('approvals.list'), undefined, popup)) as {
        value: { id: string }[];
      };
      expect(pending).toHaveLength(1);
      const answered = await invoke(
        ipcChannelFor('approvals.answer'),
        { id: pending[0]!.id, answer: { kind: 'allow-once' } },
        popup,
      );
      expect(answered).toEqual({ ok: true, value: { ok: true } });
      expect(JSON.stringify((await result).content)).not.toContain('denied');
      expect(upstream.calls.map((call) => call.tool)).toEqual(['write_file']);
      // Nothing left to answer: the popup closes by itself and the tray is back to ok.
      await until(() => popup.destroyed, 'the popup to close');
      await until(() => tray()?.image?.file?.endsWith('tray-ok.png'), 'the ok icon');
    } finally {
      await client.close();
    }
  });

  it('quits from the tray: stops the core, removes the tray and frees the data folder', async () => {
    menuItems()
      .find((item) => item.id === 'quit')
      ?.click?.();
    await until(() => !fs.existsSync(path.join(dataDir, 'gatehouse.lock')), 'the lock to be released');
    await until(() => tray()?.destroyed, 'the tray to go');
    expect(settingsWindow()?.destroyed).toBe(true);
    expect(fake.handlers.size).toBe(0);
    expect(fake.calls.errors).toEqual([]);
  });
});
