/**
 * Sessions: live downstream MCP sessions (client, client version, server, started, last activity,
 * calls) with "End session", and recent session history from the audit log.
 * Test hooks: table "Live sessions" (one row per session; cells hold the client and server names);
 * button "End session <client> on <server>" then "Confirm"; table "Recent session history".
 */
import type { AuditRecord } from '../../../shared/schemas/audit.ts';
import type { LiveSession } from '../../../shared/schemas/sessions.ts';
import type { ServicesClient } from '../api/services-client.ts';
import { ConfirmButton } from '../components/buttons.tsx';
import { DataTable } from '../components/data-table.tsx';
import { ActionFeedback } from '../components/feedback.tsx';
import { QueryView } from '../components/page-state.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { useNow } from '../hooks/use-now.ts';
import { useServiceQuery } from '../hooks/use-service-query.ts';
import { formatAgo, formatTime } from '../lib/time-format.ts';

const fetchSessions = (client: ServicesClient) => client.call('sessions.list');

/** The newest session opens and closes. */
const fetchHistory = async (client: ServicesClient): Promise<AuditRecord[]> => {
  const page = await client.call('audit.query', {
    kind: 'event',
    events: ['session-open', 'session-close'],
    limit: 50,
  });
  return page.records;
};

const liveColumns = ['Client', 'App', 'Server', 'Started', 'Last activity', 'Calls'];
const historyColumns = ['When', 'Event', 'Client', 'Server'];

export function SessionsPage() {
  const client = useClient();
  const sessions = useServiceQuery(client, fetchSessions, ['sessions-changed']);
  const history = useServiceQuery(client, fetchHistory, ['sessions-changed']);
  const now = useNow(5000);
  return (
    <div>
      <section aria-labelledby="live-title">
        <h2 id="live-title">Live sessions</h2>
        <QueryView
          query={sessions}
          what="sessions"
          isEmpty={(list) => list.length === 0}
          empty={<p>No client is connected right now.</p>}
        >
          {(list) => (
            <DataTable label="Live sessions" columns={liveColumns} actions="Actions">
              {list.map((session) => (
                <SessionRow key={session.id} session={session} now={now} onEnded={sessions.reload} />
              ))}
            </DataTable>
          )}
        </QueryView>
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">Recent session history</h2>
        <QueryView
          query={history}
          what="session history"
          isEmpty={(list) => list.length === 0}
          empty={<p>No sessions recorded yet.</p>}
        >
          {(list) => (
            <DataTable label="Recent session history" columns={historyColumns}>
              {list.map((record) => (
                <tr key={record.seq}>
                  <td>{formatTime(record.at)}</td>
                  <td>{record.kind === 'session-open' ? 'opened' : 'closed'}</td>
                  <td>{record.client ?? ''}</td>
                  <td>{record.server ?? ''}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </QueryView>
      </section>
    </div>
  );
}

function SessionRow(props: { session: LiveSession; now: number; onEnded: () => void }) {
  const { session } = props;
  const client = useClient();
  const action = useAction();
  const app = `${session.clientInfo.name}${session.clientInfo.version ? ` ${session.clientInfo.version}` : ''}`;
  return (
    <tr>
      <td>{session.client}</td>
      <td>{app}</td>
      <td>{session.server}</td>
      <td title={formatTime(session.startedAt)}>{formatAgo(session.startedAt, props.now)}</td>
      <td title={formatTime(session.lastActivityAt)}>{formatAgo(session.lastActivityAt, props.now)}</td>
      <td>
        {session.requests}
        {session.inFlight ? ` (${session.inFlight} running)` : ''}
      </td>
      <td>
        <ConfirmButton
          label={`End session ${session.client} on ${session.server}`}
          question="End this session?"
          action={action}
          run={() => client.call('sessions.terminate', { id: session.id })}
          onDone={props.onEnded}
        >
          End session
        </ConfirmButton>
        <ActionFeedback action={action} />
      </td>
    </tr>
  );
}
