/**
 * Clients: the local MCP clients allowed to use the gateway (a token each), their access, and
 * "Connect an app".
 * Test hooks: field "Client name" + button "Create client" → region "New client token" (see
 * client-token.tsx); each client is an item named "Client <name>" with buttons "Edit access" and
 * "Revoke <name>" then "Confirm".
 */
import { useState, type FormEvent } from 'react';
import type { ClientView, NewClientResult } from '../../../shared/schemas/clients.ts';
import type { ServerView } from '../../../shared/schemas/servers.ts';
import type { ServicesClient } from '../api/services-client.ts';
import { ConfirmButton } from '../components/buttons.tsx';
import { ActionFeedback } from '../components/feedback.tsx';
import { TextField } from '../components/fields.tsx';
import { QueryView } from '../components/page-state.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { useServiceQuery } from '../hooks/use-service-query.ts';
import { formatTime } from '../lib/time-format.ts';
import { ClientAccessForm } from './client-access.tsx';
import { NewClientToken } from './client-token.tsx';
import { ConnectApps } from './connect-apps.tsx';

const fetchClients = (client: ServicesClient) => client.call('clients.list');
const fetchServers = (client: ServicesClient) => client.call('servers.list');
const fetchStatus = (client: ServicesClient) => client.call('status.get');

export function ClientsPage() {
  const client = useClient();
  const clients = useServiceQuery(client, fetchClients, ['clients-changed', 'sessions-changed']);
  const servers = useServiceQuery(client, fetchServers, ['servers-changed']);
  const status = useServiceQuery(client, fetchStatus, ['status-changed']);
  const create = useAction();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<NewClientResult | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run(async () => {
      setCreated(await client.call('clients.add', { name: name.trim() }));
      setName('');
      clients.reload();
    });
  };

  return (
    <div>
      <p className="page-intro">
        Each MCP client (an editor, a CLI) gets its own token. Clients never see your servers’ credentials.
      </p>
      {created ? (
        <NewClientToken
          created={created}
          gatewayUrl={status.data?.url}
          servers={servers.data ?? []}
          onDismiss={() => setCreated(undefined)}
        />
      ) : null}
      <form className="card form inline" aria-label="Create client" onSubmit={submit}>
        <TextField
          label="Client name"
          value={name}
          required
          autoComplete="off"
          spellCheck={false}
          placeholder="e.g. claude-code"
          onChange={setName}
        />
        <button type="submit" className="primary" disabled={create.busy || !name.trim()}>
          Create client
        </button>
        <ActionFeedback action={create} />
      </form>
      <QueryView
        query={clients}
        what="clients"
        isEmpty={(list) => list.length === 0}
        empty={<p>No clients yet. Create one above, or connect an app below.</p>}
      >
        {(list) => (
          <ul className="cards" aria-label="Clients">
            {list.map((record) => (
              <ClientItem
                key={record.name}
                record={record}
                servers={servers.data ?? []}
                onChanged={clients.reload}
              />
            ))}
          </ul>
        )}
      </QueryView>
      <ConnectApps />
    </div>
  );
}

function ClientItem(props: { record: ClientView; servers: ServerView[]; onChanged: () => void }) {
  const { record } = props;
  const client = useClient();
  const action = useAction();
  const [editing, setEditing] = useState(false);
  return (
    <li className="card" aria-label={`Client ${record.name}`}>
      <div className="card-head">
        <h2 className="card-title">{record.name}</h2>
        <span className={`badge badge-${record.active ? 'connected' : 'disabled'}`}>
          {record.active ? 'active' : 'revoked'}
        </span>
        <span className="muted">{record.liveSessions} live session(s)</span>
      </div>
      <p className="muted">
        Created {formatTime(record.createdAt)}
        {record.revokedAt ? ` · revoked ${formatTime(record.revokedAt)}` : ''} · servers:{' '}
        {record.servers ? record.servers.join(', ') || 'none' : 'all'} · tools:{' '}
        {record.toolFilter ? record.toolFilter.join(', ') : 'all'}
      </p>
      {record.active ? (
        <div className="row">
          <button
            type="button"
            className="small"
            aria-expanded={editing}
            onClick={() => setEditing(!editing)}
          >
            Edit access
          </button>
          <ConfirmButton
            label={`Revoke ${record.name}`}
            question={`Revoke ${record.name}? Its token stops working at once.`}
            action={action}
            run={() => client.call('clients.revoke', { name: record.name })}
            onDone={props.onChanged}
          >
            Revoke
          </ConfirmButton>
        </div>
      ) : null}
      <ActionFeedback action={action} />
      {editing ? (
        <ClientAccessForm
          record={record}
          servers={props.servers}
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
