import { describe, expect, it, vi } from 'vitest';
import { servicesContract } from '../../../shared/ipc/contract.ts';
import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import { Emitter } from '../../../electron/main/base/emitter.ts';
import { nullLogger } from '../../../electron/main/base/logger.ts';
import { ipcChannelFor, SERVICE_EVENT_CHANNEL } from '../../../electron/main/ipc/bridge-protocol.ts';
import { registerIpcBridge, type IpcBridgeOptions } from '../../../electron/main/ipc/ipc-bridge.ts';
import { checkIpcRequest, type IpcSender, type IpcTrust } from '../../../electron/main/ipc/ipc-validation.ts';
import { isChannelAllowed, isEventAllowed, POPUP_CHANNELS } from '../../../electron/main/ipc/window-kinds.ts';

// The bridge and its checks must not need Electron at run time (type imports only).
vi.mock('electron', () => {
  throw new Error('electron must not be loaded by the IPC bridge');
});

const APP_PAGE = 'file:///opt/gatehouse/out/renderer/index.html';
const POPUP_PAGE = `${APP_PAGE}#/popup`;
const trust: IpcTrust = {
  windowKindOf: (id) => (id === 7 ? 'settings' : id === 9 ? 'popup' : undefined),
  isAppUrl: (url) => url?.startsWith(APP_PAGE) ?? false,
};
const ours: IpcSender = { webContentsId: 7, frameUrl: APP_PAGE, isMainFrame: true };
const popup: IpcSender = { webContentsId: 9, frameUrl: POPUP_PAGE, isMainFrame: true };

describe('checkIpcRequest', () => {
  it('lets the popup call only its own channels, before looking at the payload', () => {
    for (const channel of POPUP_CHANNELS) {
      const payload =
        channel === 'approvals.answer' ? { id: 'a1', answer: { kind: 'allow-once' } } : undefined;
      expect(checkIpcRequest(channel, popup, payload, trust)).toMatchObject({ ok: true });
    }
    for (const channel of [
      'servers.remove',
      'clients.add',
      'policy.add',
      'settings.set',
      'audit.query',
    ] as const) {
      const check = checkIpcRequest(channel, popup, { name: 'docs' }, trust);
      expect(check).toEqual({
        ok: false,
        reason: 'channel-not-allowed',
        error: `the popup window may not call ${channel}`,
      });
    }
    // The settings window may call everything.
    for (const channel of Object.keys(servicesContract) as (keyof typeof servicesContract)[]) {
      expect(isChannelAllowed('settings', channel)).toBe(true);
    }
  });

  it('passes a trusted sender with a valid payload, returning the parsed input', () => {
    expect(checkIpcRequest('servers.remove', ours, { name: 'docs' }, trust)).toEqual({
      ok: true,
      input: { name: 'docs' },
    });
    expect(checkIpcRequest('servers.list', ours, undefined, trust)).toEqual({ ok: true, input: undefined });
  });

  it.each<[string, IpcSender]>([
    ['a webContents we did not create', { ...ours, webContentsId: 8 }],
    ['a foreign page in our window', { ...ours, frameUrl: 'https://evil.example/' }],
    ['a gone frame', { ...ours, frameUrl: undefined }],
    ['an iframe', { ...ours, isMainFrame: false }],
  ])('refuses %s before looking at the payload', (_name, sender) => {
    const check = checkIpcRequest('servers.remove', sender, { name: 'INVALID NAME' }, trust);
    expect(check).toMatchObject({ ok: false, reason: 'untrusted-sender' });
    if (!check.ok) expect(check.error).not.toContain('name');
  });

  it('refuses an invalid payload from a trusted sender, saying what is wrong', () => {
    const bad = checkIpcRequest('servers.remove', ours, { name: 'Not A Slug' }, trust);
    expect(
      checkIpcRequest('approvals.answer', popup, { id: 'a1', answer: { kind: 'maybe' } }, trust),
    ).toMatchObject({ ok: false, reason: 'invalid-payload' });
    expect(bad).toMatchObject({ ok: false, reason: 'invalid-payload' });
    if (!bad.ok) expect(bad.error).toMatch(/^invalid input for servers\.remove: /);
    expect(checkIpcRequest('servers.list', ours, { sneaky: true }, trust)).toMatchObject({
      ok: false,
      reason: 'invalid-payload',
    });
    expect(
      checkIpcRequest('servers.setEnabled', ours, { name: 'docs', enabled: 'yes' }, trust),
    ).toMatchObject({
      ok: false,
      reason: 'invalid-payload',
    });
  });
});

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

function harness() {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: Handler) => void handlers.set(channel, handler)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  };
  const changes = new Emitter<ServiceEvent>();
  const services = {
    'servers.remove': vi.fn(async () => ({ ok: true as const })),
    'servers.list': vi.fn(async () => []),
    'clients.revoke': vi.fn(async () => {
      throw new Error('no active client named "x"');
    }),
    onDidChange: changes.event,
  };
  const targets = [
    { kind: 'settings' as const, contents: { getURL: () => APP_PAGE, send: vi.fn() } },
    { kind: 'settings' as const, contents: { getURL: () => 'https://evil.example/', send: vi.fn() } },
    { kind: 'popup' as const, contents: { getURL: () => POPUP_PAGE, send: vi.fn() } },
  ];
  const bridge = registerIpcBridge({
    ipcMain,
    services: services as unknown as IpcBridgeOptions['services'],
    trust,
    targets: () => targets,
    logger: nullLogger,
  });
  const invoke = (channel: keyof typeof servicesContract, sender: IpcSender, ...args: unknown[]) => {
    const handler = handlers.get(ipcChannelFor(channel));
    if (!handler) throw new Error(`no handler for ${channel}`);
    const event = {
      sender: { id: sender.webContentsId },
      senderFrame:
        sender.frameUrl === undefined
          ? null
          : { url: sender.frameUrl, parent: sender.isMainFrame ? null : {} },
    };
    return handler(event, ...args);
  };
  return { handlers, ipcMain, services, changes, targets, bridge, invoke };
}

describe('registerIpcBridge', () => {
  it('handles exactly the channels of the services contract', () => {
    const { handlers } = harness();
    expect([...handlers.keys()].sort()).toEqual(
      Object.keys(servicesContract)
        .map((channel) => ipcChannelFor(channel as keyof typeof servicesContract))
        .sort(),
    );
  });

  it('dispatches a checked call to the service with the parsed input', async () => {
    const { invoke, services } = harness();
    await expect(invoke('servers.remove', ours, { name: 'docs' })).resolves.toEqual({
      ok: true,
      value: { ok: true },
    });
    expect(services['servers.remove']).toHaveBeenCalledWith({ name: 'docs' });
  });

  it('refuses an untrusted sender without calling the service', async () => {
    const { invoke, services } = harness();
    const result = await invoke('servers.remove', { ...ours, webContentsId: 99 }, { name: 'docs' });
    expect(result).toEqual({ ok: false, error: 'Gatehouse refused a request from an untrusted page' });
    expect(services['servers.remove']).not.toHaveBeenCalled();
  });

  it('refuses an invalid payload and extra arguments without calling the service', async () => {
    const { invoke, services } = harness();
    expect(await invoke('servers.remove', ours, { name: 42 })).toMatchObject({ ok: false });
    expect(await invoke('servers.remove', ours, { name: 'docs' }, 'extra')).toEqual({
      ok: false,
      error: 'servers.remove takes one argument',
    });
    expect(services['servers.remove']).not.toHaveBeenCalled();
  });

  it('returns a failing service as { ok: false, error } with its message', async () => {
    const { invoke } = harness();
    await expect(invoke('clients.revoke', ours, { name: 'x' })).resolves.toEqual({
      ok: false,
      error: 'no active client named "x"',
    });
  });

  it('sends service events to our pages only, on the one events channel', () => {
    const { changes, targets } = harness();
    changes.fire({ type: 'servers-changed' });
    expect(targets[0]?.contents.send).toHaveBeenCalledWith(SERVICE_EVENT_CHANNEL, {
      type: 'servers-changed',
    });
    expect(targets[1]?.contents.send).not.toHaveBeenCalled();
  });

  it('sends the popup only the events it uses', () => {
    const { changes, targets } = harness();
    changes.fire({ type: 'servers-changed' });
    changes.fire({ type: 'audit-appended' });
    expect(targets[2]?.contents.send).not.toHaveBeenCalled();
    changes.fire({ type: 'approvals-changed', pending: 1 });
    expect(targets[2]?.contents.send).toHaveBeenCalledWith(SERVICE_EVENT_CHANNEL, {
      type: 'approvals-changed',
      pending: 1,
    });
    expect(isEventAllowed('popup', { type: 'status-changed' })).toBe(true);
    expect(isEventAllowed('popup', { type: 'clients-changed' })).toBe(false);
  });

  it("refuses a channel the sender's window kind may not use, without calling the service", async () => {
    const { invoke, services } = harness();
    expect(await invoke('servers.remove', popup, { name: 'docs' })).toEqual({
      ok: false,
      error: 'the popup window may not call servers.remove',
    });
    expect(services['servers.remove']).not.toHaveBeenCalled();
  });

  it('removes its handlers and subscription on dispose', () => {
    const { bridge, handlers, changes, targets } = harness();
    bridge.dispose();
    expect(handlers.size).toBe(0);
    changes.fire({ type: 'clients-changed' });
    expect(targets[0]?.contents.send).not.toHaveBeenCalled();
  });
});
