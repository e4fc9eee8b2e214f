import { describe, expect, it, vi } from 'vitest';
import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import { Emitter } from '../../../electron/main/base/emitter.ts';
import { wireAttention } from '../../../electron/main/app/attention.ts';
import type { DesktopSnapshot } from '../../../electron/main/app/desktop-snapshot.ts';
import type { DesktopStateChange } from '../../../electron/main/app/desktop-state.ts';
import { notificationForEvent, notificationsFor } from '../../../electron/main/app/notifications.ts';
import { popupAction } from '../../../electron/main/app/popup-decision.ts';

vi.mock('electron', () => {
  throw new Error('electron must not be loaded by the attention logic');
});

const empty: DesktopSnapshot = {
  gateway: { state: 'listening' },
  approvals: [],
  heldChanges: [],
  loginsNeeded: [],
};
const approval = (id: string) => ({ id, client: 'cursor', server: 'github', tool: 'create_issue' });
const withApprovals = (...ids: string[]): DesktopSnapshot => ({ ...empty, approvals: ids.map(approval) });

describe('popupAction', () => {
  it('shows the popup when an approval arrives', () => {
    expect(popupAction([], ['a1'], false)).toBe('show');
    expect(popupAction(['a1'], ['a1', 'a2'], true)).toBe('show');
  });

  it('closes it when none remain, and leaves it alone otherwise', () => {
    expect(popupAction(['a1'], [], true)).toBe('close');
    expect(popupAction(['a1'], [], false)).toBe('none');
    // One of two answered: the popup shows the next one.
    expect(popupAction(['a1', 'a2'], ['a2'], true)).toBe('none');
    // Closed by the person while the same calls wait: not reopened.
    expect(popupAction(['a1'], ['a1'], false)).toBe('none');
  });
});

describe('notifications', () => {
  it('announces new approvals once, naming the first', () => {
    expect(notificationsFor(empty, withApprovals('a1'))).toEqual([
      {
        tag: 'approvals',
        title: 'A tool call waits for your answer',
        body: 'cursor → github: create_issue',
        target: { kind: 'approval', id: 'a1' },
      },
    ]);
    expect(notificationsFor(withApprovals('a1'), withApprovals('a1', 'a2', 'a3'))[0]).toMatchObject({
      title: '2 tool calls wait for your answer',
      target: { kind: 'approval', id: 'a2' },
    });
    expect(notificationsFor(withApprovals('a1'), withApprovals('a1'))).toEqual([]);
    expect(notificationsFor(withApprovals('a1', 'a2'), withApprovals('a2'))).toEqual([]);
  });

  it('announces newly held tool changes, leading to the Changes page', () => {
    const notes = notificationsFor(
      { ...empty, heldChanges: ['c1'] },
      { ...empty, heldChanges: ['c1', 'c2'] },
    );
    expect(notes).toEqual([
      expect.objectContaining({
        title: '1 tool change is held for review',
        target: { kind: 'settings', route: 'changes' },
      }),
    ]);
  });

  it('announces a login that ended, leading to the Logins page', () => {
    expect(
      notificationForEvent({
        type: 'login-needed',
        server: 'linear',
        reason: 'the refresh token was refused',
      }),
    ).toEqual({
      tag: 'login:linear',
      title: 'Log in to linear again',
      body: 'the refresh token was refused',
      target: { kind: 'settings', route: 'logins' },
    });
    expect(notificationForEvent({ type: 'servers-changed' })).toBeUndefined();
  });
});

describe('wireAttention', () => {
  function setup() {
    const states = new Emitter<DesktopStateChange>();
    const events = new Emitter<ServiceEvent>();
    const popup = {
      isOpen: false,
      show: vi.fn(() => void (popup.isOpen = true)),
      close: vi.fn(() => void (popup.isOpen = false)),
    };
    const notify = vi.fn();
    const wiring = wireAttention({
      onDidChangeState: states.event,
      onServiceEvent: events.event,
      popup,
      notify,
    });
    return { states, events, popup, notify, wiring };
  }

  it('opens the popup without focus on a new approval, closes it when answered, and notifies', () => {
    const { states, popup, notify } = setup();
    states.fire({ before: empty, after: withApprovals('a1') });
    expect(popup.show).toHaveBeenCalledWith({ focus: false });
    expect(notify).toHaveBeenCalledWith(expect.objectContaining({ tag: 'approvals' }));
    states.fire({ before: withApprovals('a1'), after: empty });
    expect(popup.close).toHaveBeenCalledOnce();
    expect(notify).toHaveBeenCalledOnce();
  });

  it('notifies on login-needed events, and stops after dispose', () => {
    const { events, states, notify, popup, wiring } = setup();
    events.fire({ type: 'login-needed', server: 'linear', reason: 'expired' });
    expect(notify).toHaveBeenCalledWith(
      expect.objectContaining({ target: { kind: 'settings', route: 'logins' } }),
    );
    wiring.dispose();
    events.fire({ type: 'login-needed', server: 'linear', reason: 'expired' });
    states.fire({ before: empty, after: withApprovals('a9') });
    expect(notify).toHaveBeenCalledOnce();
    expect(popup.show).not.toHaveBeenCalled();
  });
});
