import { describe, expect, it, vi } from 'vitest';
import { nullLogger } from '../../../electron/main/base/logger.ts';
import { externalUrlDecision, registerAppActions } from '../../../electron/main/ipc/app-actions.ts';
import { OPEN_EXTERNAL_CHANNEL } from '../../../electron/main/ipc/bridge-protocol.ts';
import type { IpcTrust } from '../../../electron/main/ipc/ipc-validation.ts';

vi.mock('electron', () => {
  throw new Error('electron must not be loaded by the app actions');
});

const PAGE = 'file:///opt/gatehouse/out/renderer/index.html';
const trust: IpcTrust = {
  windowKindOf: (id) => (id === 1 ? 'settings' : id === 2 ? 'popup' : undefined),
  isAppUrl: (url) => url?.startsWith(PAGE) ?? false,
};
const LOGIN = 'http://127.0.0.1:4444/authorize?response_type=code&client_id=abc';

describe('externalUrlDecision', () => {
  it('lets well-formed https addresses through, normalised', () => {
    expect(externalUrlDecision('https://example.com/docs', [])).toEqual({
      ok: true,
      href: 'https://example.com/docs',
    });
    expect(externalUrlDecision('https://EXAMPLE.com', [])).toEqual({
      ok: true,
      href: 'https://example.com/',
    });
  });

  it.each([
    ['a file URL', 'file:///etc/passwd'],
    ['javascript', 'javascript:alert(1)'],
    ['a custom scheme', 'vscode://settings'],
    ['plain http', 'http://example.com/'],
    ['credentials', 'https://user:pw@example.com/'],
    ['shell metacharacters', 'https://example.com/$(reboot)'],
    ['whitespace', 'https://example.com/a b'],
    ['not a string', 42],
  ])('refuses %s', (_name, url) => {
    expect(externalUrlDecision(url, [LOGIN]).ok).toBe(false);
  });

  it('allows http to loopback only for the authorization URL of a login in progress', () => {
    expect(externalUrlDecision(LOGIN, [LOGIN])).toEqual({ ok: true, href: LOGIN });
    expect(externalUrlDecision(LOGIN, []).ok).toBe(false);
    expect(externalUrlDecision('http://127.0.0.1:4444/other', [LOGIN]).ok).toBe(false);
    const remote = 'http://auth.example/authorize?x=1';
    expect(externalUrlDecision(remote, [remote]).ok).toBe(false);
  });
});

describe('registerAppActions', () => {
  function setup() {
    let handler: ((event: unknown, ...args: unknown[]) => Promise<unknown>) | undefined;
    const ipcMain = {
      handle: vi.fn((channel: string, fn: typeof handler) => {
        expect(channel).toBe(OPEN_EXTERNAL_CHANNEL);
        handler = fn;
      }),
      removeHandler: vi.fn(),
    };
    const openExternal = vi.fn(async () => {});
    const actions = registerAppActions({
      ipcMain: ipcMain as unknown as Parameters<typeof registerAppActions>[0]['ipcMain'],
      trust,
      openExternal,
      pendingAuthorizationUrls: async () => [LOGIN],
      logger: nullLogger,
    });
    const invoke = (id: number, url: string | undefined, ...args: unknown[]) =>
      handler!({ sender: { id }, senderFrame: url === undefined ? null : { url, parent: null } }, ...args);
    return { invoke, openExternal, actions, ipcMain };
  }

  it('opens an https link for the settings window', async () => {
    const { invoke, openExternal } = setup();
    expect(await invoke(1, PAGE, 'https://modelcontextprotocol.io/')).toEqual({ ok: true, value: true });
    expect(await invoke(1, PAGE, LOGIN)).toEqual({ ok: true, value: true });
    expect(openExternal.mock.calls).toEqual([['https://modelcontextprotocol.io/'], [LOGIN]]);
  });

  it('refuses untrusted senders, the popup, bad payloads and bad URLs without opening anything', async () => {
    const { invoke, openExternal } = setup();
    expect(await invoke(9, PAGE, 'https://a.example/')).toMatchObject({ ok: false });
    expect(await invoke(1, 'https://evil.example/', 'https://a.example/')).toMatchObject({ ok: false });
    expect(await invoke(2, `${PAGE}#/popup`, 'https://a.example/')).toEqual({
      ok: false,
      error: 'the popup window may not open links',
    });
    expect(await invoke(1, PAGE, { url: 'https://a.example/' })).toMatchObject({ ok: false });
    expect(await invoke(1, PAGE, 'https://a.example/', 'extra')).toMatchObject({ ok: false });
    expect(await invoke(1, PAGE, 'smb://share/x')).toMatchObject({ ok: false });
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('removes its handler on dispose', () => {
    const { actions, ipcMain } = setup();
    actions.dispose();
    expect(ipcMain.removeHandler).toHaveBeenCalledWith(OPEN_EXTERNAL_CHANNEL);
  });
});
