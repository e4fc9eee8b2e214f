/**
 * Overview (landing view): gateway status, pending approvals (answerable here), held changes,
 * logins needed, the pause state, and links to the other pages.
 * Test hooks: regions "Gateway", "Pending approvals", "Needs attention"; approval regions as in the
 * popup ("Approval: <tool> on <server>" with "Allow once" / "Deny"); button "Resume" while paused.
 */
import type { ServicesClient } from '../api/services-client.ts';
import { ApprovalCard } from '../components/approval-card.tsx';
import { PauseControls } from '../components/pause-controls.tsx';
import { NotificationOptIn } from '../components/notification-opt-in.tsx';
import { ErrorNote, Loading, QueryView } from '../components/page-state.tsx';
import { noApprovals, useApprovals } from '../hooks/use-approvals.ts';
import { useClient } from '../hooks/use-client.ts';
import { useServiceQuery } from '../hooks/use-service-query.ts';
import type { GatewayStatus } from '../../../shared/schemas/sessions.ts';

const fetchStatus = (client: ServicesClient) => client.call('status.get');
const fetchHeld = (client: ServicesClient) => client.call('changes.list', { status: 'pending' });
const fetchLogins = (client: ServicesClient) => client.call('logins.list');
const fetchServers = (client: ServicesClient) => client.call('servers.list');

function describeGateway(status: GatewayStatus): string {
  switch (status.state) {
    case 'listening':
      return `Listening on ${status.url ?? '127.0.0.1'}`;
    case 'starting':
      return 'Starting…';
    case 'error':
      return `Not running: ${status.error ?? 'unknown error'}`;
    case 'stopped':
      return 'Stopped';
  }
}

export function OverviewPage() {
  const client = useClient();
  const status = useServiceQuery(client, fetchStatus, [
    'status-changed',
    'servers-changed',
    'sessions-changed',
  ]);
  const approvals = useApprovals();
  const held = useServiceQuery(client, fetchHeld, ['changes-changed']);
  const logins = useServiceQuery(client, fetchLogins, ['logins-changed', 'login-needed', 'servers-changed']);
  const servers = useServiceQuery(client, fetchServers, ['servers-changed', 'server-status-changed']);

  const needLogin = (logins.data ?? []).filter(
    (login) => login.state === 'needs-login' || login.state === 'error',
  );
  const failing = (servers.data ?? []).filter((server) => server.status === 'failing');
  const heldCount = held.data?.length ?? 0;

  return (
    <div className="overview">
      <section className="card" aria-labelledby="gateway-title">
        <h2 id="gateway-title">Gateway</h2>
        {status.data ? (
          <>
            <p className={`status status-${status.data.state}`}>{describeGateway(status.data)}</p>
            {status.data.settingsProblem ? (
              <p className="note note-error" role="alert">
                Settings problem: {status.data.settingsProblem}
              </p>
            ) : null}
            <p className="muted">
              {status.data.servers} server(s) · {status.data.sessions} live session(s) · data folder{' '}
              <code>{status.data.dataDir}</code>
            </p>
          </>
        ) : status.error ? (
          <ErrorNote
            prefix="Cannot reach the Gatehouse core"
            message={status.error}
            onRetry={status.reload}
          />
        ) : (
          <Loading what="status" />
        )}
        <PauseControls />
      </section>

      <section className="card" aria-labelledby="attention-title">
        <h2 id="attention-title">Needs attention</h2>
        <ul className="attention">
          <li>
            <a href="#/changes">Held tool changes</a>: {held.error ? 'unknown' : held.data ? heldCount : '…'}
          </li>
          <li>
            <a href="#/logins">Logins needed</a>:{' '}
            {logins.error ? 'unknown' : logins.data ? needLogin.length : '…'}
            {needLogin.length ? ` (${needLogin.map((login) => login.server).join(', ')})` : ''}
          </li>
          <li>
            <a href="#/servers">Failing servers</a>:{' '}
            {servers.error ? 'unknown' : servers.data ? failing.length : '…'}
            {failing.length ? ` (${failing.map((server) => server.name).join(', ')})` : ''}
          </li>
        </ul>
        <p className="quick-links">
          Quick links: <a href="#/servers">Add a server</a> · <a href="#/clients">Connect an app</a> ·{' '}
          <a href="#/audit">Audit log</a> · <a href="#/policies">Rules</a>
        </p>
      </section>

      <section aria-labelledby="approvals-title">
        <h2 id="approvals-title">Pending approvals{approvals.data ? ` (${approvals.data.length})` : ''}</h2>
        <NotificationOptIn host={client.host} />
        <QueryView
          query={approvals}
          what="approvals"
          isEmpty={(list) => list.length === 0}
          empty={<p>{noApprovals}</p>}
        >
          {(list) =>
            list.map((approval) => (
              <ApprovalCard key={approval.id} approval={approval} onAnswered={approvals.reload} />
            ))
          }
        </QueryView>
      </section>
    </div>
  );
}
