import type { DownstreamSession } from './downstream-session.ts';
import { Emitter, type Event } from '../base/emitter.ts';

/**
 * The gateway's own session table (the SDK never expires sessions): sessions are bound to the client
 * that opened them and to their server, and idle ones are reaped so abandoned sessions cost nothing.
 */
export class SessionTable {
  readonly #sessions = new Map<string, DownstreamSession>();
  readonly #onDidChange = new Emitter<void>();
  readonly #onDidAdd = new Emitter<DownstreamSession>();
  /** Fires with each new session. */
  readonly onDidAdd: Event<DownstreamSession> = this.#onDidAdd.event;
  #reaper: NodeJS.Timeout | undefined;

  readonly onDidChange: Event<void> = this.#onDidChange.event;

  private readonly idleMs: () => number;

  constructor(idleMs: () => number) {
    this.idleMs = idleMs;
  }

  get size(): number {
    return this.#sessions.size;
  }

  add(session: DownstreamSession): void {
    this.#sessions.set(session.id, session);
    this.#ensureReaper();
    this.#onDidAdd.fire(session);
    this.#onDidChange.fire();
  }

  /** A session is found only by the client and server it belongs to; anything else is "not found". */
  find(id: string, clientName: string, serverName: string): DownstreamSession | undefined {
    const session = this.#sessions.get(id);
    if (!session || session.info.clientName !== clientName || session.info.serverName !== serverName)
      return undefined;
    // Members of an aggregated session are reached only through `/mcp`.
    if (session.aggregateId !== undefined) return undefined;
    return session;
  }

  get(id: string): DownstreamSession | undefined {
    return this.#sessions.get(id);
  }

  delete(session: DownstreamSession): void {
    if (this.#sessions.get(session.id) === session) {
      this.#sessions.delete(session.id);
      this.#onDidChange.fire();
    }
    if (this.#sessions.size === 0) this.#stopReaper();
  }

  all(): DownstreamSession[] {
    return [...this.#sessions.values()];
  }

  /** Closes every session matching `predicate` (server removed, client revoked, shutdown). */
  async closeWhere(predicate: (session: DownstreamSession) => boolean, reason: string): Promise<void> {
    await Promise.all(
      this.all()
        .filter(predicate)
        .map((session) => session.close(reason)),
    );
  }

  /** Closes sessions idle for longer than the idle timeout; returns how many. */
  reap(now = Date.now()): number {
    const idle = this.idleMs();
    let count = 0;
    for (const session of this.#sessions.values()) {
      // Members of an aggregated session expire with it (the aggregate tracks its own activity).
      if (session.aggregateId !== undefined) continue;
      if (session.inFlight > 0 || session.hasAttachedStream) continue;
      if (now - session.lastActivity >= idle) {
        count++;
        void session.close('idle');
      }
    }
    return count;
  }

  dispose(): void {
    this.#stopReaper();
    this.#onDidChange.dispose();
    this.#onDidAdd.dispose();
  }

  #ensureReaper(): void {
    if (this.#reaper) return;
    const every = Math.min(30_000, Math.max(250, this.idleMs() / 4));
    this.#reaper = setInterval(() => this.reap(), every);
    this.#reaper.unref();
  }

  #stopReaper(): void {
    if (this.#reaper) clearInterval(this.#reaper);
    this.#reaper = undefined;
  }
}
