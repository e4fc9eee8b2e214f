/** What {@link IdleSessionTable} needs of a session to know when it is idle and to end it. */
export interface IdleSession {
  readonly id: string;
  readonly inFlight: number;
  readonly hasAttachedStream: boolean;
  readonly lastActivity: number;
  close(reason: string): Promise<void>;
}

/**
 * Sessions by id, with idle ones reaped on a timer (the SDK never expires sessions) so abandoned
 * sessions cost nothing. The timer runs only while the table holds a session.
 */
export class IdleSessionTable<S extends IdleSession> {
  readonly #sessions = new Map<string, S>();
  #reaper: NodeJS.Timeout | undefined;

  private readonly idleMs: () => number;

  constructor(idleMs: () => number) {
    this.idleMs = idleMs;
  }

  get size(): number {
    return this.#sessions.size;
  }

  add(session: S): void {
    this.#sessions.set(session.id, session);
    if (this.#reaper) return;
    const every = Math.min(30_000, Math.max(250, this.idleMs() / 4));
    this.#reaper = setInterval(() => this.reap(), every);
    this.#reaper.unref();
  }

  get(id: string): S | undefined {
    return this.#sessions.get(id);
  }

  /** Removes `session` if it is the one held under its id; returns whether it was. */
  delete(session: S): boolean {
    const removed = this.#sessions.get(session.id) === session;
    if (removed) this.#sessions.delete(session.id);
    if (this.#sessions.size === 0) this.#stopReaper();
    return removed;
  }

  all(): S[] {
    return [...this.#sessions.values()];
  }

  /** Closes every session matching `predicate` (server removed, client revoked, shutdown). */
  async closeWhere(predicate: (session: S) => boolean, reason: string): Promise<void> {
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
      if (!this.expiresAlone(session)) continue;
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
  }

  /** Whether the table decides this session's idle expiry (false: something else does). */
  protected expiresAlone(_session: S): boolean {
    return true;
  }

  #stopReaper(): void {
    if (this.#reaper) clearInterval(this.#reaper);
    this.#reaper = undefined;
  }
}
