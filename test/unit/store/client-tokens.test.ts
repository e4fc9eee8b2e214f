import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_TOKEN_PREFIX,
  digestsEqual,
  hashToken,
  newClientToken,
} from '../../../electron/main/store/client-tokens.ts';
import { bearerToken } from '../../../electron/main/gateway/request-guards.ts';
import { redactForLog } from '../../../electron/main/base/logger.ts';

describe('newClientToken', () => {
  it('is ghc_ followed by 256 bits in base64url', () => {
    const token = newClientToken();
    expect(CLIENT_TOKEN_PREFIX).toBe('ghc_');
    expect(token).toMatch(/^ghc_[A-Za-z0-9_-]{43}$/);
    const bytes = Buffer.from(token.slice(CLIENT_TOKEN_PREFIX.length), 'base64url');
    expect(bytes).toHaveLength(32);
    // Canonical encoding: decoding and re-encoding gives the same text.
    expect(bytes.toString('base64url')).toBe(token.slice(4));
  });

  it('never repeats and looks random', () => {
    const tokens = Array.from({ length: 2000 }, () => newClientToken());
    expect(new Set(tokens).size).toBe(tokens.length);
    // Every base64url character shows up somewhere across 2000 × 43 random characters.
    const seen = new Set(tokens.flatMap((t) => [...t.slice(4)]));
    expect(seen.size).toBe(64);
  });

  it('is accepted by the bearer parser and removed by log redaction', () => {
    const token = newClientToken();
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(redactForLog(`got ${token}`)).toBe('got [redacted]');
  });
});

describe('hashToken', () => {
  it('is the SHA-256 hex digest of the UTF-8 text', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const token = newClientToken();
    expect(hashToken(token)).toBe(crypto.createHash('sha256').update(token).digest('hex'));
  });

  it('is 64 lower-case hex characters, stable, and different for different tokens', () => {
    const token = newClientToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toBe(hashToken(newClientToken()));
    expect(hashToken(token)).not.toContain(token.slice(4));
  });

  it('hashes non-ASCII text as UTF-8', () => {
    expect(hashToken('é')).toBe(
      crypto
        .createHash('sha256')
        .update(Buffer.from([0xc3, 0xa9]))
        .digest('hex'),
    );
  });
});

describe('digestsEqual', () => {
  const a = hashToken('one');
  const b = hashToken('two');

  it('is true for the same digest', () => {
    expect(digestsEqual(a, a)).toBe(true);
    expect(digestsEqual(a, hashToken('one'))).toBe(true);
  });

  it('is false for different digests', () => {
    expect(digestsEqual(a, b)).toBe(false);
  });

  it('is false when only the last byte differs', () => {
    const last = a.slice(-2) === '00' ? '01' : '00';
    expect(digestsEqual(a, a.slice(0, -2) + last)).toBe(false);
  });

  it('is false for digests of different lengths, without throwing', () => {
    expect(digestsEqual(a, a.slice(0, 62))).toBe(false);
    expect(digestsEqual(a, a + '00')).toBe(false);
    expect(digestsEqual(a, '')).toBe(false);
    expect(digestsEqual('', a)).toBe(false);
  });

  it('is false for a token compared with its own hash', () => {
    const token = newClientToken();
    expect(digestsEqual(token, hashToken(token))).toBe(false);
  });

  it('is false unless both are 64 lower-case hex characters, even when the bytes would match', () => {
    // Buffer.from(x, 'hex') is lenient (upper case, trailing junk, a half byte), so these would
    // compare equal as bytes; only exact SHA-256 hex digests may match.
    const upper = a.toUpperCase();
    expect(upper).not.toBe(a);
    expect(digestsEqual(a, upper)).toBe(false);
    expect(digestsEqual(upper, a)).toBe(false);
    expect(digestsEqual(upper, upper)).toBe(false);
    expect(digestsEqual(a + 'zz', a + 'zz')).toBe(false);
    expect(digestsEqual(a + 'z', a)).toBe(false);
    expect(digestsEqual(a + '0', a + '0')).toBe(false);
    expect(digestsEqual(a.slice(0, 63), a.slice(0, 63))).toBe(false);
    expect(digestsEqual(` ${a}`, ` ${a}`)).toBe(false);
    expect(digestsEqual(`${a}\n`, a)).toBe(false);
    expect(digestsEqual('', '')).toBe(false);
    expect(digestsEqual('zz', 'yy')).toBe(false);
  });

  it('is false for two equal strings that are not hex digests', () => {
    for (const value of ['not-hex', 'g'.repeat(64), 'a'.repeat(128), 'ghc_' + 'a'.repeat(60)]) {
      expect(digestsEqual(value, value), value).toBe(false);
    }
  });

  it('is true for any two equal 64-character lower-case hex strings', () => {
    expect(digestsEqual('0'.repeat(64), '0'.repeat(64))).toBe(true);
    expect(digestsEqual('f'.repeat(64), 'f'.repeat(64))).toBe(true);
    expect(digestsEqual('0123456789abcdef'.repeat(4), '0123456789abcdef'.repeat(4))).toBe(true);
  });
});
