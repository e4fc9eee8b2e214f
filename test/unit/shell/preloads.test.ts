import { beforeEach, describe, expect, it, vi } from 'vitest';
import { servicesContract } from '../../../shared/ipc/contract.ts';
import {
  ipcChannelFor,
  OPEN_EXTERNAL_CHANNEL,
  type GatehouseBridge,
} from '../../../electron/main/ipc/bridge-protocol.ts';
import { POPUP_CHANNELS } from '../../../electron/main/ipc/window-kinds.ts';

/** Electron's preload side, faked: what gets exposed, and what is invoked. */
const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (_channel: string, _input?: unknown): Promise<unknown> => ({
    ok: true,
    value: 'answer',
  })),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
  ipcRenderer: { invoke: electron.invoke, on: vi.fn(), removeListener: vi.fn() },
}));

async function load(preload: 'popup' | 'settings'): Promise<GatehouseBridge> {
  vi.resetModules();
  electron.exposed.clear();
  await import(`../../../electron/preload/${preload}.ts`);
  expect([...electron.exposed.keys()]).toEqual(['gatehouse']);
  return electron.exposed.get('gatehouse') as GatehouseBridge;
}

beforeEach(() => electron.invoke.mockClear());

describe('one narrow preload per window kind', () => {
  it('the popup gets only its channels and events: no openExternal, no other service', async () => {
    const bridge = await load('popup');
    expect(Object.keys(bridge.call).sort()).toEqual([...POPUP_CHANNELS].sort());
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onEvent']);
    expect((bridge.call as Record<string, unknown>)['servers.remove']).toBeUndefined();
    await expect(bridge.call['approvals.list']()).resolves.toBe('answer');
    expect(electron.invoke).toHaveBeenCalledWith(ipcChannelFor('approvals.list'), undefined);
  });

  it('the settings window gets every channel and openExternal, and rejects failures as { error }', async () => {
    const bridge = await load('settings');
    expect(Object.keys(bridge.call).sort()).toEqual(Object.keys(servicesContract).sort());
    expect(Object.isFrozen(bridge.call)).toBe(true);
    electron.invoke.mockResolvedValueOnce({ ok: true, value: true });
    await expect(bridge.openExternal?.('https://example.com/')).resolves.toBe(true);
    expect(electron.invoke).toHaveBeenLastCalledWith(OPEN_EXTERNAL_CHANNEL, 'https://example.com/');
    electron.invoke.mockResolvedValueOnce({ ok: false, error: 'Gatehouse did not open this address' });
    await expect(bridge.openExternal?.('file:///etc/passwd')).rejects.toEqual({
      error: 'Gatehouse did not open this address',
    });
  });
});
