import type { AggregateSession } from './aggregate-session.ts';

/**
 * The sessions of the aggregated endpoint `/mcp`, bound to the client that opened them. Their members
 * live in the gateway's {@link SessionTable}; idle expiry is decided here, for the whole aggregate.
 */
export class AggregateTable {
  readonly #sessions = new Map<string, AggregateSession>();
  #reaper: NodeJS.Timeout | undefined;

  private readonly idleMs: () => number;

  constructor(idleMs: () => number) {
    this.idleMs = idleMs;
  }

  get size(): number {
    return this.#sessions.size;
  }

  add(session: AggregateSession): void {
    this.#sessions.set(session.id, session);
    if (!this.#reaper) {
      const every = Math.min(30_000, Math.max(250, this.idleMs() / 4));
      this.#reaper = setInterval(() => this.reap(), every);
      this.#reaper.unref();
    }
  }

  /** Found only by the client that opened it; anything else is "not found". */
  find(id: string, clientName: string): AggregateSession | undefined {
    const session = this.#sessions.get(id);
    return session && session.info.clientName === clientName ? session : undefined;
  }

  delete(session: AggregateSession): void {
    if (this.#sessions.get(session.id) === session) this.#sessions.delete(session.id);
    if (this.#sessions.size === 0 && this.#reaper) {
      clearInterval(this.#reaper);
      this.#reaper = undefined;
    }
  }

  all(): AggregateSession[] {
    return [...this.#sessions.values()];
  }

  async closeWhere(predicate: (session: AggregateSession) => boolean, reason: string): Promise<void> {
    await Promise.all(
      this.all()
        .filter(predicate)
        .map((s) => s.close(reason)),
    );
  }

  /** Closes aggregates idle for longer than the idle timeout (with all their members); returns how many. */
  reap(now = Date.now()): number {
    const idle = this.idleMs();
    let count = 0;
    for (const session of this.#sessions.values()) {
      if (session.inFlight > 0 || session.hasAttachedStream) continue;
      if (now - session.lastActivity >= idle) {
        count++;
        void session.close('idle');
      }
    }
    return count;
  }

  dispose(): void {
    if (this.#reaper) clearInterval(this.#reaper);
    this.#reaper = undefined;
  }
}
