import { describe, expect, it } from 'vitest';
import {
  clearedSessionCookie,
  readCookie,
  sessionCookie,
  WebSessions,
} from '../../../../electron/main/headless/web-ui/web-sessions.ts';

const HOUR = 60 * 60_000;

describe('WebSessions', () => {
  it('redeems a login secret once, into a session id that is not the secret', () => {
    const sessions = new WebSessions();
    const secret = sessions.newLoginSecret();
    const id = sessions.redeem(secret);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(id).not.toBe(secret);
    expect(sessions.touch(id)).toBe(true);
    expect(sessions.redeem(secret)).toBeUndefined();
  });

  it('accepts only the newest unused secret', () => {
    const sessions = new WebSessions();
    const first = sessions.newLoginSecret();
    const second = sessions.newLoginSecret();
    expect(sessions.redeem(first)).toBeUndefined();
    expect(sessions.redeem(second)).toBeDefined();
  });

  it.each([
    '',
    'short',
    'x'.repeat(200),
    'has spaces in it and is long enough',
    '../../etc/passwd-0123456789',
  ])('refuses %j as a secret or a session id', (value) => {
    const sessions = new WebSessions();
    sessions.newLoginSecret();
    expect(sessions.redeem(value)).toBeUndefined();
    expect(sessions.touch(value)).toBe(false);
  });

  it('ends a session after 12 idle hours, and any session after 7 days', () => {
    let now = 0;
    const sessions = new WebSessions({ now: () => now });
    const idle = sessions.redeem(sessions.newLoginSecret())!;
    const busy = sessions.redeem(sessions.newLoginSecret())!;
    now = 11 * HOUR;
    expect(sessions.touch(busy)).toBe(true);
    now = 12 * HOUR + 1;
    expect(sessions.touch(idle)).toBe(false);
    for (let t = 12; t < 7 * 24; t += 11) {
      now = t * HOUR;
      expect(sessions.touch(busy)).toBe(true);
    }
    now = 7 * 24 * HOUR + 1;
    expect(sessions.touch(busy)).toBe(false);
  });

  it('signs out one session without touching the others', () => {
    const sessions = new WebSessions();
    const a = sessions.redeem(sessions.newLoginSecret())!;
    const b = sessions.redeem(sessions.newLoginSecret())!;
    sessions.end(a);
    expect(sessions.touch(a)).toBe(false);
    expect(sessions.touch(b)).toBe(true);
  });

  it('keeps at most 32 sessions, dropping the least recently used', () => {
    let now = 0;
    const sessions = new WebSessions({ now: () => now });
    const ids: string[] = [];
    for (let i = 0; i < 33; i++) {
      now = i;
      ids.push(sessions.redeem(sessions.newLoginSecret())!);
    }
    expect(sessions.size).toBe(32);
    expect(sessions.touch(ids[0])).toBe(false);
    expect(sessions.touch(ids[32])).toBe(true);
  });
});

describe('session cookies', () => {
  it('are HttpOnly, SameSite=Strict, for the whole origin, named per port', () => {
    expect(sessionCookie(7337, 'abc')).toBe('gatehouse_session_7337=abc; Path=/; HttpOnly; SameSite=Strict');
    expect(clearedSessionCookie(7337)).toContain('Max-Age=0');
  });

  it('reads one cookie out of a Cookie header', () => {
    const header = 'theme=dark; gatehouse_session_7337=abc ; gatehouse_session_8080=def';
    expect(readCookie(header, 'gatehouse_session_7337')).toBe('abc');
    expect(readCookie(header, 'gatehouse_session_8080')).toBe('def');
    expect(readCookie(header, 'gatehouse_session_1')).toBeUndefined();
    expect(readCookie(undefined, 'x')).toBeUndefined();
  });
});
