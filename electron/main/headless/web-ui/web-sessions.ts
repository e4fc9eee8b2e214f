import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** How long an unused browser session lasts, and how long any session may live at most. */
const IDLE_MS = 12 * 60 * 60_000;
const MAX_AGE_MS = 7 * 24 * 60 * 60_000;
/** Browsers signed in at once; the least recently used is dropped beyond this. */
const MAX_SESSIONS = 32;

interface SessionEntry {
  created: number;
  lastUsed: number;
}

/** The session cookie's name for a gateway port. Cookies ignore ports, so two Gatehouses never share one. */
export function sessionCookieName(port: number): string {
  return `gatehouse_session_${port}`;
}

/** The value of one cookie in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The browser UI's sign-in: one-time login secrets and the sessions they open, in memory only.
 * Why: the printed link must not be reusable (it may end up in a terminal log or a shell history),
 * and a restart must sign every browser out. Only SHA-256 hashes of secrets and session ids are kept,
 * so neither can be read back from memory dumps of this map.
 */
export class WebSessions {
  /** Hash of the one login secret that may still be used (a new one replaces it). */
  #pendingSecret: Buffer | undefined;
  readonly #sessions = new Map<string, SessionEntry>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** A new login secret; any earlier unused one stops working. */
  newLoginSecret(): string {
    const secret = crypto.randomBytes(32).toString('base64url');
    this.#pendingSecret = sha256(secret);
    return secret;
  }

  /** Uses the login secret (once) and returns a new session id, or undefined when it is not valid. */
  redeem(secret: string): string | undefined {
    const pending = this.#pendingSecret;
    if (!pending || !/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return undefined;
    if (!crypto.timingSafeEqual(sha256(secret), pending)) return undefined;
    this.#pendingSecret = undefined;
    const id = crypto.randomBytes(32).toString('base64url');
    const now = this.#now();
    this.#sessions.set(key(id), { created: now, lastUsed: now });
    this.#prune(now);
    return id;
  }

  /** True when the session id is live; refreshes its idle clock. */
  touch(id: string | undefined): boolean {
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return false;
    const k = key(id);
    const entry = this.#sessions.get(k);
    if (!entry) return false;
    const now = this.#now();
    if (now - entry.lastUsed > IDLE_MS || now - entry.created > MAX_AGE_MS) {
      this.#sessions.delete(k);
      return false;
    }
    entry.lastUsed = now;
    return true;
  }

  /** The live session a request's cookie names, if any. */
  fromRequest(req: IncomingMessage, port: number): string | undefined {
    const id = readCookie(req.headers.cookie, sessionCookieName(port));
    return this.touch(id) ? id : undefined;
  }

  /** Ends a session (sign out). */
  end(id: string): void {
    this.#sessions.delete(key(id));
  }

  get size(): number {
    return this.#sessions.size;
  }

  #prune(now: number): void {
    for (const [k, entry] of this.#sessions) {
      if (now - entry.lastUsed > IDLE_MS || now - entry.created > MAX_AGE_MS) this.#sessions.delete(k);
    }
    while (this.#sessions.size > MAX_SESSIONS) {
      const oldest = [...this.#sessions].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0]!;
      this.#sessions.delete(oldest[0]);
    }
  }
}

/** The Set-Cookie value that opens a session: HttpOnly, SameSite=Strict, whole origin, browser session. */
export function sessionCookie(port: number, id: string): string {
  return `${sessionCookieName(port)}=${id}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The Set-Cookie value that removes the session cookie. */
export function clearedSessionCookie(port: number): string {
  return `${sessionCookieName(port)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}

function sha256(text: string): Buffer {
  return crypto.createHash('sha256').update(text).digest();
}

function key(id: string): string {
  return sha256(id).toString('hex');
}
