/**
 * Servers: add, edit, enable/disable, remove (with confirmation), test the connection; status per server.
 * Test hooks: button "Add a server" opens form "Add server" (see server-form.tsx); each server is a
 * list item (region) named "Server <name>" with buttons "Test connection", "Edit", "Disable"/"Enable",
 * "Remove <name>" then "Confirm"; the status badge text is connected / failing / needs login / idle /
 * disabled.
 */
import { useState } from 'react';
import type { ChannelOutput } from '../../../shared/ipc/contract.ts';
import type { ServerView } from '../../../shared/schemas/servers.ts';
import type { ServicesClient } from '../api/services-client.ts';
import { ActionButton, ConfirmButton } from '../components/buttons.tsx';
import { ActionFeedback } from '../components/feedback.tsx';
import { QueryView } from '../components/page-state.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { useServiceQuery } from '../hooks/use-service-query.ts';
import { ServerForm } from './server-form.tsx';

const fetchServers = (client: ServicesClient) => client.call('servers.list');

export const statusLabels: Record<ServerView['status'], string> = {
  idle: 'idle',
  connected: 'connected',
  failing: 'failing',
  'needs-login': 'needs login',
  disabled: 'disabled',
};

export function ServersPage() {
  const client = useClient();
  const servers = useServiceQuery(client, fetchServers, [
    'servers-changed',
    'server-status-changed',
    'sessions-changed',
    'logins-changed',
  ]);
  const [adding, setAdding] = useState(false);
  return (
    <div>
      <p className="page-intro">
        Remote MCP servers your clients reach through Gatehouse. Each gets its own endpoint on the gateway.
      </p>
      {adding ? (
        <ServerForm
          onDone={() => {
            setAdding(false);
            servers.reload();
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Add a server
        </button>
      )}
      <QueryView
        query={servers}
        what="servers"
        isEmpty={(list) => list.length === 0}
        empty={<p>No servers yet. Add the first one with “Add a server”.</p>}
      >
        {(list) => (
          <ul className="cards" aria-label="Servers">
            {list.map((server) => (
              <ServerItem key={server.name} server={server} onChanged={servers.reload} />
            ))}
          </ul>
        )}
      </QueryView>
    </div>
  );
}

type TestResult = ChannelOutput<'servers.test'>;

function describeTest(result: TestResult): string {
  if (result.ok) {
    const info = result.serverInfo
      ? ` ${result.serverInfo.name}${result.serverInfo.version ? ` ${result.serverInfo.version}` : ''}`
      : '';
    return `Connected to${info || ' the server'}: ${result.tools ?? 0} tool(s).`;
  }
  if (result.needsLogin) return 'The server needs a login: open Logins to log in.';
  return `Failed: ${result.error ?? 'unknown error'}`;
}

function ServerItem(props: { server: ServerView; onChanged: () => void }) {
  const { server } = props;
  const client = useClient();
  const action = useAction();
  const test = useAction();
  const [editing, setEditing] = useState(false);
  const [testResult, setTestResult] = useState<TestResult | undefined>();
  return (
    <li className="card" aria-label={`Server ${server.name}`}>
      <div className="card-head">
        <h2 className="card-title">{server.name}</h2>
        <span className={`badge badge-${server.status}`}>{statusLabels[server.status]}</span>
        {!server.trusted ? <span className="badge">untrusted</span> : null}
      </div>
      <p className="url">{server.url}</p>
      {server.status === 'failing' && server.lastError ? (
        <p className="note note-error">Failing: {server.lastError}</p>
      ) : null}
      {server.status === 'needs-login' ? (
        <p className="note note-warn">
          This server needs a login. <a href="#/logins">Log in on the Logins page</a>.
        </p>
      ) : null}
      <p className="muted">
        Endpoint <code>{server.endpoint}</code> · {server.liveSessions} live session(s)
        {server.headerNames.length ? ` · headers: ${server.headerNames.join(', ')}` : ''} · on tool change:{' '}
        {server.onToolChange}
      </p>
      <div className="row">
        <ActionButton
          className="small"
          action={test}
          run={async () => {
            setTestResult(undefined);
            setTestResult(await client.call('servers.test', { name: server.name }));
          }}
        >
          {test.busy ? 'Testing…' : 'Test connection'}
        </ActionButton>
        <button type="button" className="small" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          Edit
        </button>
        <ActionButton
          className="small"
          action={action}
          run={() => client.call('servers.setEnabled', { name: server.name, enabled: !server.enabled })}
          onDone={props.onChanged}
        >
          {server.enabled ? 'Disable' : 'Enable'}
        </ActionButton>
        <ConfirmButton
          label={`Remove ${server.name}`}
          question={`Remove ${server.name} and its stored secrets?`}
          confirmLabel="Confirm"
          action={action}
          run={() => client.call('servers.remove', { name: server.name })}
          onDone={props.onChanged}
        >
          Remove
        </ConfirmButton>
      </div>
      {testResult ? (
        <p className={`note ${testResult.ok ? 'note-ok' : 'note-error'}`} role="status">
          {describeTest(testResult)}
          {testResult.needsLogin ? (
            <>
              {' '}
              <a href="#/logins">Go to Logins</a>
            </>
          ) : null}
        </p>
      ) : null}
      <ActionFeedback action={test} />
      <ActionFeedback action={action} />
      {editing ? (
        <ServerForm
          server={server}
          onDone={() => {
            setEditing(false);
            props.onChanged();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : null}
    </li>
  );
}
