import { useState } from 'react';
import type { DetectedClient, ConnectPreview } from '../../../shared/schemas/connections.ts';
import type { ServicesClient } from '../api/services-client.ts';
import { ActionButton } from '../components/buttons.tsx';
import { ActionFeedback } from '../components/feedback.tsx';
import { CheckField } from '../components/fields.tsx';
import { QueryView } from '../components/page-state.tsx';
import { UnifiedDiff } from '../components/unified-diff.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { useServiceQuery } from '../hooks/use-service-query.ts';
import { withToggled } from '../lib/toggle-set.ts';

const fetchDetected = (client: ServicesClient) => client.call('clients.detect');

/**
 * "Connect an app": the MCP clients found on this machine, and writing Gatehouse into their config.
 * Test hooks: region "Connect an app"; one item per app named "App <label>"; buttons "Preview",
 * "Connect", "Disconnect", "Adopt selected servers"; the preview diff labelled "Changes to <path>".
 */
export function ConnectApps() {
  const client = useClient();
  const detected = useServiceQuery(client, fetchDetected, [
    'connections-changed',
    'clients-changed',
    'servers-changed',
  ]);
  return (
    <section aria-labelledby="connect-title">
      <h2 id="connect-title">Connect an app</h2>
      <p className="muted">
        Gatehouse can add itself to these apps’ MCP settings (a backup of the file is kept; Disconnect
        restores it).
      </p>
      <QueryView
        query={detected}
        what="apps"
        isEmpty={(list) => list.length === 0}
        empty={<p>No supported apps were found.</p>}
      >
        {(list) => (
          <ul className="cards">
            {list.map((app) => (
              <AppItem key={app.kind} app={app} onChanged={detected.reload} />
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function AppItem(props: { app: DetectedClient; onChanged: () => void }) {
  const { app } = props;
  const client = useClient();
  const action = useAction();
  const [preview, setPreview] = useState<ConnectPreview | undefined>();
  const [adopt, setAdopt] = useState<Set<string>>(new Set());
  const connected = app.connectedServers.length > 0;
  const status = app.problem
    ? 'problem'
    : connected
      ? 'connected'
      : app.installed
        ? 'installed'
        : 'not found';
  return (
    <li className="card" aria-label={`App ${app.label}`}>
      <div className="card-head">
        <h3 className="card-title">{app.label}</h3>
        <span className={`badge badge-${status.replace(' ', '-')}`}>{status}</span>
      </div>
      <p className="muted">
        Config <code>{app.configPath}</code>
        {app.configExists ? '' : ' (not created yet)'} · via{' '}
        {app.transport === 'http' ? 'HTTP' : 'stdio bridge'}
        {connected ? ` · routed: ${app.connectedServers.join(', ')}` : ''}
      </p>
      {app.problem ? <p className="note note-error">Cannot use this file: {app.problem}</p> : null}
      <div className="row">
        <ActionButton
          className="small"
          action={action}
          disabled={Boolean(app.problem)}
          run={async () => setPreview(await client.call('clients.preview', { kind: app.kind }))}
        >
          Preview
        </ActionButton>
        <ActionButton
          className="small primary"
          action={action}
          disabled={Boolean(app.problem)}
          run={() => client.call('clients.connect', { kind: app.kind })}
          done={`${app.label} now uses Gatehouse.`}
          onDone={() => {
            setPreview(undefined);
            props.onChanged();
          }}
        >
          Connect
        </ActionButton>
        {connected ? (
          <ActionButton
            className="small"
            action={action}
            run={() => client.call('clients.disconnect', { kind: app.kind })}
            done={`${app.label} disconnected.`}
            onDone={props.onChanged}
          >
            Disconnect
          </ActionButton>
        ) : null}
      </div>
      {preview ? (
        <div className="preview">
          <p className="muted">
            Connect would use the Gatehouse client “{preview.clientName}” and change{' '}
            <code>{preview.configPath}</code>:
          </p>
          <UnifiedDiff diff={preview.diff} label={`Changes to ${preview.configPath}`} />
        </div>
      ) : null}
      {app.adoptable.length > 0 ? (
        <fieldset className="adopt">
          <legend>Servers configured directly in {app.label}</legend>
          {app.adoptable.map((entry) => (
            <CheckField
              key={entry.entry}
              checked={adopt.has(entry.entry)}
              onChange={(on) => setAdopt(withToggled(adopt, entry.entry, on))}
            >
              {entry.entry} — {entry.url}
              {entry.headerNames.length ? ` (headers: ${entry.headerNames.join(', ')})` : ''}
            </CheckField>
          ))}
          <ActionButton
            className="small"
            action={action}
            disabled={adopt.size === 0}
            run={() => client.call('clients.adopt', { kind: app.kind, entries: [...adopt] })}
            done="Adopted: these servers now go through Gatehouse."
            onDone={() => {
              setAdopt(new Set());
              props.onChanged();
            }}
          >
            Adopt selected servers
          </ActionButton>
        </fieldset>
      ) : null}
      <ActionFeedback action={action} />
    </li>
  );
}
