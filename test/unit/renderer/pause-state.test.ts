import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../shared/schemas/audit.ts';
import { pauseFromEvents } from '../../../renderer/src/lib/pause-state.ts';

const now = Date.parse('2026-01-01T12:00:00.000Z');
let seq = 100;
const event = (kind: AuditRecord['kind'], detail?: AuditRecord['detail']): AuditRecord => ({
  seq: seq--,
  at: '2026-01-01T11:00:00.000Z',
  kind,
  ...(detail === undefined ? {} : { detail }),
});

describe('pauseFromEvents', () => {
  it('finds the newest pause', () => {
    const pause = { mode: 'deny', since: '2026-01-01T11:00:00.000Z' };
    expect(pauseFromEvents([event('rule-change'), event('pause', pause), event('resume')], now)).toEqual(
      pause,
    );
  });

  it('is over after a newer resume or once its end has passed', () => {
    const pause = { mode: 'ask', since: '2026-01-01T11:00:00.000Z' };
    expect(pauseFromEvents([event('resume'), event('pause', pause)], now)).toBeUndefined();
    const timed = { ...pause, until: '2026-01-01T11:30:00.000Z' };
    expect(pauseFromEvents([event('pause', timed)], now)).toBeUndefined();
    const running = { ...pause, until: '2026-01-01T12:30:00.000Z' };
    expect(pauseFromEvents([event('pause', running)], now)).toEqual(running);
  });

  it('is not paused without a pause event or with an unreadable one', () => {
    expect(pauseFromEvents([event('setting-change')], now)).toBeUndefined();
    expect(pauseFromEvents([event('pause', { nonsense: true })], now)).toBeUndefined();
  });
});
