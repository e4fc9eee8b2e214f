import { describe, expect, it, vi } from 'vitest';
import { servicesContract } from '../../../shared/ipc/contract.ts';
import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import { Emitter } from '../../../electron/main/base/emitter.ts';
import { nullLogger } from '../../../electron/main/base/logger.ts';
import { ipcChannelFor, SERVICE_EVENT_CHANNEL } from '../../../electron/main/ipc/bridge-protocol.ts';
import { registerIpcBridge, type IpcBridgeOptions } from '../../../electron/main/ipc/ipc-bridge.ts';
import { checkIpcRequest, type IpcSender, type IpcTrust } from '../../../electron/main/ipc/ipc-validation.ts';

// The bridge and its checks must not need Electron at run time (type imports only).
vi.mock('electron', () => {
  throw new Error('electron must not be loaded by the IPC bridge');
});

const APP_PAGE = 'file:///opt/gatehouse/out/renderer/index.html';
const trust: IpcTrust = {
  isOurWebContents: (id) => id === 7,
  isAppUrl: (url) => url === APP_PAGE,
};
const ours: IpcSender = { webContentsId: 7, frameUrl: APP_PAGE, isMainFrame: true };

describe('checkIpcRequest', () => {
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
    { getURL: () => APP_PAGE, send: vi.fn() },
    { getURL: () => 'https://evil.example/', send: vi.fn() },
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
    expect(targets[0]?.send).toHaveBeenCalledWith(SERVICE_EVENT_CHANNEL, { type: 'servers-changed' });
    expect(targets[1]?.send).not.toHaveBeenCalled();
  });

  it('removes its handlers and subscription on dispose', () => {
    const { bridge, handlers, changes, targets } = harness();
    bridge.dispose();
    expect(handlers.size).toBe(0);
    changes.fire({ type: 'clients-changed' });
    expect(targets[0]?.send).not.toHaveBeenCalled();
  });
});
