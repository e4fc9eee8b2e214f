import { describe, expect, it, vi } from 'vitest';
import type { DesktopSnapshot } from '../../../electron/main/app/desktop-snapshot.ts';
import {
  buildTrayMenu,
  gatewayStatusLine,
  MAX_LISTED_APPROVALS,
  trayTooltip,
  type TrayMenuItem,
} from '../../../electron/main/app/tray-menu.ts';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const options = { now: NOW, formatTime: (iso: string) => iso.slice(11, 16) };
const actions = () => ({
  openSettings: vi.fn(),
  openApproval: vi.fn(),
  pause: vi.fn(),
  resume: vi.fn(),
  quit: vi.fn(),
});

function snapshot(over: Partial<DesktopSnapshot> = {}): DesktopSnapshot {
  return {
    gateway: { state: 'listening', url: 'http://127.0.0.1:7337' },
    approvals: [],
    heldChanges: [],
    loginsNeeded: [],
    ...over,
  };
}

const approval = (n: number) => ({ id: `a${n}`, client: 'claude-code', server: 'github', tool: `tool_${n}` });
const shape = (menu: TrayMenuItem[]) => menu.map((item) => (item.type === 'separator' ? '---' : item.label));
const byId = (menu: TrayMenuItem[], id: string): TrayMenuItem | undefined =>
  menu.flatMap((item) => [item, ...(item.submenu ?? [])]).find((item) => item.id === id);

describe('buildTrayMenu', () => {
  it('all well: the status line, Pause writes, Open and Quit', () => {
    const menu = buildTrayMenu(snapshot(), actions(), options);
    expect(shape(menu)).toEqual([
      'Gateway: http://127.0.0.1:7337',
      '---',
      'Pause writes',
      '---',
      'Open Gatehouse',
      '---',
      'Quit Gatehouse',
    ]);
    expect(menu[0]).toMatchObject({ id: 'status', enabled: false });
    expect(menu[0]?.click).toBeUndefined();
    expect(byId(menu, 'resume')).toBeUndefined();
  });

  it('offers Pause writes for 15 minutes, 1 hour and until resumed', () => {
    const a = actions();
    const menu = buildTrayMenu(snapshot(), a, options);
    const pause = byId(menu, 'pause');
    expect(pause?.type).toBe('submenu');
    expect(pause?.submenu?.map((item) => item.label)).toEqual([
      'For 15 minutes',
      'For 1 hour',
      'Until resumed',
    ]);
    for (const item of pause?.submenu ?? []) item.click?.();
    expect(a.pause.mock.calls).toEqual([[15], [60], [undefined]]);
  });

  it('lists pending approvals, each opening the popup on it, and sums up the rest', () => {
    const a = actions();
    const approvals = Array.from({ length: MAX_LISTED_APPROVALS + 2 }, (_, i) => approval(i + 1));
    const menu = buildTrayMenu(snapshot({ approvals }), a, options);
    expect(byId(menu, 'approvals-header')).toMatchObject({
      label: '7 calls wait for your answer',
      enabled: false,
    });
    expect(byId(menu, 'approval:a1')?.label).toBe('claude-code → github: tool_1');
    expect(byId(menu, `approval:a${MAX_LISTED_APPROVALS + 1}`)).toBeUndefined();
    expect(byId(menu, 'approvals-more')?.label).toBe('…and 2 more');
    byId(menu, 'approval:a3')?.click?.();
    expect(a.openApproval).toHaveBeenCalledWith('a3');
    expect(buildTrayMenu(snapshot({ approvals: [approval(1)] }), a, options)[2]?.label).toBe(
      '1 call waits for your answer',
    );
  });

  it('escapes & in approval labels (a menu mnemonic marker)', () => {
    const menu = buildTrayMenu(
      snapshot({ approvals: [{ ...approval(1), tool: 'search&replace' }] }),
      actions(),
      options,
    );
    expect(byId(menu, 'approval:a1')?.label).toBe('claude-code → github: search&&replace');
  });

  it('links held changes and logins needed to their settings pages', () => {
    const a = actions();
    const menu = buildTrayMenu(snapshot({ heldChanges: ['c1', 'c2'], loginsNeeded: ['linear'] }), a, options);
    expect(byId(menu, 'changes')?.label).toBe('Review 2 held tool changes…');
    expect(byId(menu, 'logins')?.label).toBe('Log in again: linear…');
    byId(menu, 'changes')?.click?.();
    byId(menu, 'logins')?.click?.();
    byId(menu, 'open')?.click?.();
    expect(a.openSettings.mock.calls).toEqual([['changes'], ['logins'], []]);
  });

  it('while paused: says until when, and offers Resume', () => {
    const a = actions();
    const pause = { mode: 'ask' as const, since: '2026-11-24T11:50:00Z', until: '2026-11-24T12:05:00Z' };
    const menu = buildTrayMenu(snapshot({ pause }), a, options);
    expect(byId(menu, 'paused')).toMatchObject({
      label: 'Writes paused (ask first) until 12:05',
      enabled: false,
    });
    byId(menu, 'resume')?.click?.();
    expect(a.resume).toHaveBeenCalledOnce();
    expect(byId(menu, 'pause')?.label).toBe('Pause writes again');
    const forever = buildTrayMenu(snapshot({ pause: { mode: 'deny', since: pause.since } }), a, options);
    expect(byId(forever, 'paused')?.label).toBe('Writes paused (denied) until resumed');
    // A pause whose end has passed is over.
    const over = buildTrayMenu(snapshot({ pause: { ...pause, until: '2026-11-24T11:59:00Z' } }), a, options);
    expect(byId(over, 'resume')).toBeUndefined();
  });

  it('wires Quit to quitting', () => {
    const a = actions();
    byId(buildTrayMenu(snapshot(), a, options), 'quit')?.click?.();
    expect(a.quit).toHaveBeenCalledOnce();
  });

  it('shows a gateway error on one shortened line', () => {
    const error =
      'port 7337 on 127.0.0.1 is already in use by another program; stop it or choose another port';
    const line = gatewayStatusLine({ state: 'error', error });
    expect(line.startsWith('Gateway error: port 7337 on 127.0.0.1 is already in use')).toBe(true);
    expect(line.length).toBeLessThanOrEqual(72);
    expect(line.endsWith('…')).toBe(true);
    expect(
      buildTrayMenu(snapshot({ gateway: { state: 'error', error } }), actions(), options)[0]?.label,
    ).toBe(line);
  });

  it('names the starting and stopped states, and says in the tooltip what needs attention', () => {
    expect(gatewayStatusLine({ state: 'starting' })).toBe('Gateway: starting…');
    expect(gatewayStatusLine({ state: 'stopped' })).toBe('Gateway: stopped');
    expect(trayTooltip(snapshot({ gateway: { state: 'listening', url: 'http://127.0.0.1:1' } }), NOW)).toBe(
      'Gatehouse — Gateway: http://127.0.0.1:1',
    );
    expect(trayTooltip(snapshot({ approvals: [approval(1)] }), NOW)).toBe(
      'Gatehouse — Gateway: http://127.0.0.1:7337 (needs your attention)',
    );
  });

  it('returns plain data (no Electron objects), so Menu.buildFromTemplate can take it as is', () => {
    const menu = buildTrayMenu(
      snapshot({
        approvals: [approval(1)],
        heldChanges: ['c'],
        pause: { mode: 'ask', since: '2026-11-24T11:00:00Z' },
      }),
      actions(),
      options,
    );
    for (const item of menu.flatMap((entry) => [entry, ...(entry.submenu ?? [])])) {
      expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
      for (const key of Object.keys(item)) {
        expect(['id', 'label', 'type', 'enabled', 'click', 'submenu']).toContain(key);
      }
    }
  });
});
