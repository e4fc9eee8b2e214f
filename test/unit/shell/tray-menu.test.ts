import { describe, expect, it, vi } from 'vitest';
import { buildTrayMenu, gatewayStatusLine, trayTooltip } from '../../../electron/main/app/tray-menu.ts';

const actions = () => ({ openSettings: vi.fn(), quit: vi.fn() });

describe('buildTrayMenu', () => {
  it('shows the gateway URL as a disabled status line, then Open and Quit', () => {
    const menu = buildTrayMenu({ state: 'listening', url: 'http://127.0.0.1:7337' }, actions());
    expect(menu.map((item) => item.type ?? item.label)).toEqual([
      'Gateway: http://127.0.0.1:7337',
      'separator',
      'Open Gatehouse',
      'separator',
      'Quit Gatehouse',
    ]);
    expect(menu[0]).toMatchObject({ id: 'status', enabled: false });
    expect(menu[0]?.click).toBeUndefined();
  });

  it('wires Open to the settings window and Quit to quitting', () => {
    const a = actions();
    const menu = buildTrayMenu({ state: 'listening', url: 'http://127.0.0.1:7337' }, a);
    menu.find((item) => item.id === 'open')?.click?.();
    expect(a.openSettings).toHaveBeenCalledOnce();
    expect(a.quit).not.toHaveBeenCalled();
    menu.find((item) => item.id === 'quit')?.click?.();
    expect(a.quit).toHaveBeenCalledOnce();
  });

  it('shows a gateway error on one shortened line', () => {
    const error =
      'port 7337 on 127.0.0.1 is already in use by another program; stop it or choose another port';
    const line = gatewayStatusLine({ state: 'error', error });
    expect(line.startsWith('Gateway error: port 7337 on 127.0.0.1 is already in use')).toBe(true);
    expect(line.length).toBeLessThanOrEqual(72);
    expect(line.endsWith('…')).toBe(true);
    expect(buildTrayMenu({ state: 'error', error }, actions())[0]?.label).toBe(line);
  });

  it('names the starting and stopped states', () => {
    expect(gatewayStatusLine({ state: 'starting' })).toBe('Gateway: starting…');
    expect(gatewayStatusLine({ state: 'stopped' })).toBe('Gateway: stopped');
    expect(trayTooltip({ state: 'listening', url: 'http://127.0.0.1:1' })).toBe(
      'Gatehouse — Gateway: http://127.0.0.1:1',
    );
  });

  it('returns plain data (no Electron objects), so Menu.buildFromTemplate can take it as is', () => {
    const menu = buildTrayMenu({ state: 'stopped' }, actions());
    for (const item of menu) {
      expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
      for (const key of Object.keys(item)) expect(['id', 'label', 'type', 'enabled', 'click']).toContain(key);
    }
  });
});
