import crypto from 'node:crypto';

/** Client tokens carry a recognisable prefix so secret scanners and our own log redaction spot them. */
export const CLIENT_TOKEN_PREFIX = 'ghc_';

/** A new 256-bit client token (architecture: a token per client, never stored in plain text). */
export function newClientToken(): string {
  return CLIENT_TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
}

/** The only form of a client token Gatehouse keeps. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;

/** Compares two SHA-256 hex digests in constant time; anything else is unequal. */
export function digestsEqual(a: string, b: string): boolean {
  if (!HEX_DIGEST.test(a) || !HEX_DIGEST.test(b)) return false;
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Secret-store key of a client's token. Gatehouse keeps the token itself in the secret store (never in
 * settings) so that `gatehouse bridge` and the client config writers can use it without it ever being
 * typed on a command line; the settings hold only its hash.
 */
export function clientTokenKey(client: string): string {
  return `client:${client}:token`;
}
