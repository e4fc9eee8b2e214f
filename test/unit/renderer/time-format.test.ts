import { describe, expect, it } from 'vitest';
import {
  countdownLabel,
  formatAgo,
  formatCountdown,
  formatDurationMs,
  localInputToIso,
  remainingMs,
} from '../../../renderer/src/lib/time-format.ts';

describe('formatCountdown', () => {
  it('shows minutes and seconds, rounding up', () => {
    expect(formatCountdown(65_000)).toBe('1:05');
    expect(formatCountdown(9_001)).toBe('0:10');
    expect(formatCountdown(1)).toBe('0:01');
  });

  it('shows hours when needed', () => {
    expect(formatCountdown(3_600_000 + 61_000)).toBe('1:01:01');
  });

  it('says expired at zero, below zero, and for an unreadable time', () => {
    expect(formatCountdown(0)).toBe('expired');
    expect(formatCountdown(-5)).toBe('expired');
    expect(formatCountdown(Number.NaN)).toBe('expired');
  });

  it('reads the time left until an ISO instant', () => {
    const now = Date.parse('2026-01-01T00:00:00.000Z');
    expect(remainingMs('2026-01-01T00:02:00.000Z', now)).toBe(120_000);
    expect(formatCountdown(remainingMs('2026-01-01T00:02:00.000Z', now))).toBe('2:00');
  });
});

describe('countdownLabel', () => {
  it('spells the time out for screen readers', () => {
    expect(countdownLabel(65_000)).toBe('1 minute 5 seconds left');
    expect(countdownLabel(120_000)).toBe('2 minutes left');
    expect(countdownLabel(1_000)).toBe('1 second left');
    expect(countdownLabel(0)).toBe('expired');
  });
});

describe('formatAgo and formatDurationMs', () => {
  const now = Date.parse('2026-01-01T12:00:00.000Z');
  it('describes the past', () => {
    expect(formatAgo('2026-01-01T12:00:00.000Z', now)).toBe('just now');
    expect(formatAgo('2026-01-01T11:59:30.000Z', now)).toBe('30 s ago');
    expect(formatAgo('2026-01-01T11:55:00.000Z', now)).toBe('5 min ago');
    expect(formatAgo('2026-01-01T09:00:00.000Z', now)).toBe('3 h ago');
    expect(formatAgo('2025-12-30T12:00:00.000Z', now)).toBe('2 d ago');
  });

  it('formats durations', () => {
    expect(formatDurationMs(850)).toBe('850 ms');
    expect(formatDurationMs(2_400)).toBe('2.4 s');
    expect(formatDurationMs(185_000)).toBe('3 min 5 s');
    expect(formatDurationMs(120_000)).toBe('2 min');
  });

  it('turns a datetime-local value into an ISO instant', () => {
    expect(localInputToIso('')).toBeUndefined();
    expect(localInputToIso('nonsense')).toBeUndefined();
    const iso = localInputToIso('2026-03-04T05:06');
    expect(iso).toBe(new Date('2026-03-04T05:06').toISOString());
  });
});
