import { describe, expect, it } from 'vitest';
import type { DesktopSnapshot } from '../../../electron/main/app/desktop-snapshot.ts';
import { nextTrayDeadline, trayState } from '../../../electron/main/app/tray-state.ts';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const base: DesktopSnapshot = {
  gateway: { state: 'listening', url: 'http://127.0.0.1:7337' },
  approvals: [],
  heldChanges: [],
  loginsNeeded: [],
};
const approval = { id: 'a1', client: 'c', server: 's', tool: 't' };
const pausedUntil = (until?: string) => ({
  mode: 'ask' as const,
  since: '2026-11-24T11:00:00Z',
  ...(until ? { until } : {}),
});

describe('trayState', () => {
  it('is ok when the gateway serves and nothing waits', () => {
    expect(trayState(base, NOW)).toBe('ok');
    expect(trayState({ ...base, gateway: { state: 'starting' } }, NOW)).toBe('ok');
  });

  it.each<[string, Partial<DesktopSnapshot>]>([
    ['a pending approval', { approvals: [approval] }],
    ['a held tool change', { heldChanges: ['c1'] }],
    ['a login needed', { loginsNeeded: ['linear'] }],
  ])('asks for attention for %s', (_name, over) => {
    expect(trayState({ ...base, ...over }, NOW)).toBe('attention');
  });

  it('is paused while a pause is in force, and not after it ended', () => {
    expect(trayState({ ...base, pause: pausedUntil() }, NOW)).toBe('paused');
    expect(trayState({ ...base, pause: pausedUntil('2026-11-24T12:15:00Z') }, NOW)).toBe('paused');
    expect(trayState({ ...base, pause: pausedUntil('2026-11-24T11:59:59Z') }, NOW)).toBe('ok');
  });

  it('ranks error over attention over paused', () => {
    const everything: DesktopSnapshot = {
      ...base,
      approvals: [approval],
      pause: pausedUntil(),
      gateway: { state: 'error', error: 'port in use' },
    };
    expect(trayState(everything, NOW)).toBe('error');
    expect(trayState({ ...everything, gateway: base.gateway }, NOW)).toBe('attention');
  });

  it('names the end of a timed pause as the one moment to look again', () => {
    expect(nextTrayDeadline(base, NOW)).toBeUndefined();
    expect(nextTrayDeadline({ ...base, pause: pausedUntil() }, NOW)).toBeUndefined();
    expect(nextTrayDeadline({ ...base, pause: pausedUntil('2026-11-24T12:15:00Z') }, NOW)).toBe(
      Date.parse('2026-11-24T12:15:00Z'),
    );
    expect(nextTrayDeadline({ ...base, pause: pausedUntil('2026-11-24T11:00:00Z') }, NOW)).toBeUndefined();
  });
});
