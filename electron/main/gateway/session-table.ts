import type { DownstreamSession } from './downstream-session.ts';
import { Emitter, type Event } from '../base/emitter.ts';
import { IdleSessionTable } from './idle-session-table.ts';

/**
 * The gateway's own session table: sessions are bound to the client that opened them and to their
 * server, and idle ones are reaped so abandoned sessions cost nothing.
 */
export class SessionTable extends IdleSessionTable<DownstreamSession> {
  readonly #onDidChange = new Emitter<void>();
  readonly #onDidAdd = new Emitter<DownstreamSession>();
  /** Fires with each new session. */
  readonly onDidAdd: Event<DownstreamSession> = this.#onDidAdd.event;

  readonly onDidChange: Event<void> = this.#onDidChange.event;

  override add(session: DownstreamSession): void {
    super.add(session);
    this.#onDidAdd.fire(session);
    this.#onDidChange.fire();
  }

  /** A session is found only by the client and server it belongs to; anything else is "not found". */
  find(id: string, clientName: string, serverName: string): DownstreamSession | undefined {
    const session = this.get(id);
    if (!session || session.info.clientName !== clientName || session.info.serverName !== serverName)
      return undefined;
    // Members of an aggregated session are reached only through `/mcp`.
    if (session.aggregateId !== undefined) return undefined;
    return session;
  }

  override delete(session: DownstreamSession): boolean {
    const removed = super.delete(session);
    if (removed) this.#onDidChange.fire();
    return removed;
  }

  override dispose(): void {
    super.dispose();
    this.#onDidChange.dispose();
    this.#onDidAdd.dispose();
  }

  /** Members of an aggregated session expire with it (the aggregate tracks its own activity). */
  protected override expiresAlone(session: DownstreamSession): boolean {
    return session.aggregateId === undefined;
  }
}
