import type { AggregateSession } from './aggregate-session.ts';
import { IdleSessionTable } from './idle-session-table.ts';

/**
 * The sessions of the aggregated endpoint `/mcp`, bound to the client that opened them. Their members
 * live in the gateway's {@link SessionTable}; idle expiry is decided here, for the whole aggregate.
 */
export class AggregateTable extends IdleSessionTable<AggregateSession> {
  /** Found only by the client that opened it; anything else is "not found". */
  find(id: string, clientName: string): AggregateSession | undefined {
    const session = this.get(id);
    return session && session.info.clientName === clientName ? session : undefined;
  }
}
