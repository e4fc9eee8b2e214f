import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import type { Pause } from '../../../shared/schemas/policy.ts';
import { Emitter } from '../../../electron/main/base/emitter.ts';
import { nullLogger } from '../../../electron/main/base/logger.ts';
import { DesktopState, type DesktopStateChange } from '../../../electron/main/app/desktop-state.ts';

vi.mock('electron', () => {
  throw new Error('electron must not be loaded by the desktop state');
});

const approval = (id: string) => ({
  id,
  client: 'cursor',
  session: 's1',
  requestId: '1',
  server: 'github',
  tool: 'create_issue',
  arguments: { secret: 'never shown in the tray' },
  argumentsHash: 'h',
  risk: 'write' as const,
  reason: 'writes ask',
  createdAt: '2026-11-24T12:00:00.000Z',
  expiresAt: '2026-11-24T12:02:00.000Z',
});

function setup() {
  const events = new Emitter<ServiceEvent>();
  const data = {
    approvals: [] as ReturnType<typeof approval>[],
    changes: [] as { id: string }[],
    logins: [] as unknown[],
    pause: undefined as Pause | undefined,
  };
  const services = {
    'status.get': vi.fn(async () => ({
      state: 'listening' as const,
      url: 'http://127.0.0.1:7337',
      dataDir: '/d',
      sessions: 0,
      servers: 1,
    })),
    'approvals.list': vi.fn(async () => data.approvals),
    'changes.list': vi.fn(async () => data.changes),
    'logins.list': vi.fn(async () => {
      if (!Array.isArray(data.logins)) throw new Error('logins are handled by the running Gatehouse');
      return data.logins;
    }),
  };
  const state = new DesktopState({
    services: services as unknown as ConstructorParameters<typeof DesktopState>[0]['services'],
    onDidChangeServices: events.event,
    pause: () => data.pause,
    logger: nullLogger,
  });
  const changes: DesktopStateChange[] = [];
  state.onDidChange((change) => changes.push(change));
  return { events, data, services, state, changes };
}

const states: DesktopState[] = [];
afterEach(() => {
  for (const state of states.splice(0)) state.dispose();
});

describe('DesktopState', () => {
  it('reads approvals (without arguments), held changes, logins needed and the pause through the services', async () => {
    const { data, state, services } = setup();
    states.push(state);
    data.approvals = [approval('a1')];
    data.changes = [{ id: 'c1' }];
    data.logins = [
      { server: 'linear', state: 'needs-login', reason: 'expired' },
      { server: 'github', state: 'not-required' },
    ];
    data.pause = { mode: 'ask', since: '2026-11-24T12:00:00.000Z' };
    await state.refresh();
    expect(state.current).toEqual({
      gateway: { state: 'listening', url: 'http://127.0.0.1:7337' },
      approvals: [{ id: 'a1', client: 'cursor', server: 'github', tool: 'create_issue' }],
      heldChanges: ['c1'],
      loginsNeeded: ['linear'],
      pause: data.pause,
    });
    expect(services['changes.list']).toHaveBeenCalledWith({ status: 'pending' });
  });

  it('reads again on relevant service events only, and reports before/after', async () => {
    const { events, data, state, services, changes } = setup();
    states.push(state);
    await state.refresh();
    data.approvals = [approval('a1')];
    events.fire({ type: 'audit-appended' });
    events.fire({ type: 'sessions-changed' });
    expect(services['approvals.list']).toHaveBeenCalledTimes(1);
    events.fire({ type: 'approvals-changed', pending: 1 });
    await state.refresh();
    expect(changes.at(-1)?.before.approvals).toEqual([]);
    expect(state.current.approvals.map((a) => a.id)).toEqual(['a1']);
  });

  it('coalesces events that arrive during a read into one more read', async () => {
    const { events, state, services } = setup();
    states.push(state);
    const first = state.refresh();
    events.fire({ type: 'approvals-changed', pending: 1 });
    events.fire({ type: 'changes-changed', pending: 1 });
    events.fire({ type: 'status-changed' });
    await first;
    await state.refresh();
    expect(services['status.get'].mock.calls.length).toBeLessThanOrEqual(3);
  });

  it('looks again when a timed pause ends (the one event the core does not raise)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { data, state, services } = setup();
      states.push(state);
      data.pause = {
        mode: 'ask',
        since: new Date().toISOString(),
        until: new Date(Date.now() + 60_000).toISOString(),
      };
      await state.refresh();
      const reads = services['status.get'].mock.calls.length;
      await vi.advanceTimersByTimeAsync(30_000);
      expect(services['status.get'].mock.calls.length).toBe(reads);
      await vi.advanceTimersByTimeAsync(31_000);
      expect(services['status.get'].mock.calls.length).toBe(reads + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('treats a part that cannot be read (no logins attached) as empty', async () => {
    const { data, state } = setup();
    states.push(state);
    data.logins = 'not attached' as unknown as unknown[];
    await state.refresh();
    expect(state.current.loginsNeeded).toEqual([]);
  });
});
