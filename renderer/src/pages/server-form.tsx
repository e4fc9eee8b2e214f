import { useId, useState, type FormEvent } from 'react';
import type { ServerView } from '../../../shared/schemas/servers.ts';
import type { ServerAuth } from '../../../shared/schemas/servers.ts';
import { KeyValueRows } from '../components/key-value-rows.tsx';
import { ActionFeedback } from '../components/feedback.tsx';
import { CheckField, SelectField, TextField, type Choice } from '../components/fields.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { recordFromRows, wordList, type KeyValueRow } from '../lib/key-values.ts';

type OnToolChange = ServerView['onToolChange'];

const toolChangeChoices: Choice<OnToolChange>[] = [
  { value: 'hold', label: 'Hold it until reviewed' },
  { value: 'ask', label: 'Ask on each call until reviewed' },
  { value: 'allow-notify', label: 'Allow it and notify' },
];

interface Draft {
  name: string;
  url: string;
  headers: KeyValueRow[];
  replaceHeaders: boolean;
  trusted: boolean;
  allowInsecureHttp: boolean;
  onToolChange: OnToolChange;
  clientId: string;
  clientMetadataUrl: string;
  clientSecret: string;
  removeClientSecret: boolean;
  scopes: string;
  authParams: KeyValueRow[];
  allowMissingS256: boolean;
}

function draftFor(server: ServerView | undefined): Draft {
  return {
    name: server?.name ?? '',
    url: server?.url ?? '',
    headers: [],
    replaceHeaders: !server,
    trusted: server?.trusted ?? true,
    allowInsecureHttp: server?.allowInsecureHttp ?? false,
    onToolChange: server?.onToolChange ?? 'hold',
    clientId: server?.auth.clientId ?? '',
    clientMetadataUrl: server?.auth.clientMetadataUrl ?? '',
    clientSecret: '',
    removeClientSecret: false,
    scopes: server?.auth.scopes.join(' ') ?? '',
    authParams: Object.entries(server?.auth.authParams ?? {}).map(([key, value]) => ({ key, value })),
    allowMissingS256: server?.auth.allowMissingS256 ?? false,
  };
}

/**
 * Add a server (no `server`) or edit one. Header values and the client secret are write-only: the
 * form never shows stored ones. Test hooks: form "Add server" / "Edit <name>"; fields "Name", "URL",
 * "Header name 1", "Header value 1", "Trusted server", "Allow plain HTTP", "When a tool changes",
 * "Client ID", "Client secret", "Scopes"; buttons "Add header", "Add server" / "Save", "Cancel".
 */
export function ServerForm(props: { server?: ServerView; onDone: () => void; onCancel?: () => void }) {
  const { server } = props;
  const client = useClient();
  const action = useAction();
  const [draft, setDraft] = useState<Draft>(() => draftFor(server));
  const [problem, setProblem] = useState<string | undefined>();
  const ids = useId();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const title = server ? `Edit ${server.name}` : 'Add server';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const headers = recordFromRows(draft.headers, { what: 'header', caseInsensitive: true });
    if ('error' in headers) return setProblem(headers.error);
    const authParams = recordFromRows(draft.authParams, { what: 'auth parameter' });
    if ('error' in authParams) return setProblem(authParams.error);
    const auth: ServerAuth = {
      scopes: wordList(draft.scopes),
      authParams: authParams.value,
      allowMissingS256: draft.allowMissingS256,
    };
    if (draft.clientId.trim()) auth.clientId = draft.clientId.trim();
    if (draft.clientMetadataUrl.trim()) auth.clientMetadataUrl = draft.clientMetadataUrl.trim();
    const common = {
      url: draft.url.trim(),
      trusted: draft.trusted,
      allowInsecureHttp: draft.allowInsecureHttp,
      onToolChange: draft.onToolChange,
      auth,
    };
    void action
      .run(async () => {
        if (!server) {
          await client.call('servers.add', {
            name: draft.name.trim(),
            ...common,
            headers: headers.value,
            ...(draft.clientSecret ? { clientSecret: draft.clientSecret } : {}),
          });
        } else {
          await client.call('servers.update', {
            name: server.name,
            ...common,
            ...(draft.replaceHeaders ? { headers: headers.value } : {}),
            ...(draft.removeClientSecret
              ? { clientSecret: '' }
              : draft.clientSecret
                ? { clientSecret: draft.clientSecret }
                : {}),
          });
        }
      })
      .then((ok) => {
        if (ok) props.onDone();
      });
  };

  return (
    <form className="card form" aria-label={title} onSubmit={submit} noValidate>
      <h2>{title}</h2>
      {!server ? (
        <div className="field">
          <label htmlFor={`${ids}-name`}>Name</label>
          <input
            id={`${ids}-name`}
            required
            value={draft.name}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${ids}-name-help`}
            onChange={(event) => set('name', event.target.value)}
          />
          <small id={`${ids}-name-help`} className="muted">
            Lowercase letters, digits and dashes; the endpoint becomes /mcp/&lt;name&gt;.
          </small>
        </div>
      ) : null}
      <TextField
        label="URL"
        required
        type="url"
        inputMode="url"
        placeholder="https://mcp.example.com/mcp"
        value={draft.url}
        spellCheck={false}
        onChange={(value) => set('url', value)}
      />
      {server ? (
        <div className="field">
          <p className="muted">
            Stored headers: {server.headerNames.length ? server.headerNames.join(', ') : 'none'} (values are
            never shown).
          </p>
          <CheckField checked={draft.replaceHeaders} onChange={(on) => set('replaceHeaders', on)}>
            Replace all headers
          </CheckField>
        </div>
      ) : null}
      {draft.replaceHeaders ? (
        <KeyValueRows
          legend="Headers (values are secret and write-only)"
          rows={draft.headers}
          onChange={(rows) => set('headers', rows)}
          keyLabel="Header name"
          valueLabel="Header value"
          secret
          addLabel="Add header"
        />
      ) : null}
      <CheckField checked={draft.trusted} onChange={(on) => set('trusted', on)}>
        Trusted server (its tool annotations may loosen policy)
      </CheckField>
      <CheckField checked={draft.allowInsecureHttp} onChange={(on) => set('allowInsecureHttp', on)}>
        Allow plain HTTP to a non-local host
      </CheckField>
      <SelectField
        label="When a tool changes"
        value={draft.onToolChange}
        choices={toolChangeChoices}
        onChange={(value) => set('onToolChange', value)}
      />
      <details className="auth" open={Boolean(server?.auth.clientId)}>
        <summary>Login (OAuth) options</summary>
        <TextField
          label="Client ID"
          value={draft.clientId}
          spellCheck={false}
          onChange={(value) => set('clientId', value)}
        />
        <TextField
          label="Client secret"
          type="password"
          autoComplete="off"
          value={draft.clientSecret}
          placeholder={server ? 'Leave empty to keep the stored one' : ''}
          onChange={(value) => set('clientSecret', value)}
        />
        {server ? (
          <CheckField checked={draft.removeClientSecret} onChange={(on) => set('removeClientSecret', on)}>
            Remove the stored client secret
          </CheckField>
        ) : null}
        <TextField
          label="Client metadata document URL"
          type="url"
          value={draft.clientMetadataUrl}
          spellCheck={false}
          onChange={(value) => set('clientMetadataUrl', value)}
        />
        <TextField
          label="Scopes"
          value={draft.scopes}
          spellCheck={false}
          placeholder="space-separated, e.g. read write"
          onChange={(value) => set('scopes', value)}
        />
        <KeyValueRows
          legend="Extra authorization parameters"
          rows={draft.authParams}
          onChange={(rows) => set('authParams', rows)}
          keyLabel="Parameter name"
          valueLabel="Parameter value"
          addLabel="Add parameter"
        />
        <CheckField checked={draft.allowMissingS256} onChange={(on) => set('allowMissingS256', on)}>
          Log in even if the server does not advertise PKCE S256
        </CheckField>
      </details>
      {problem ? (
        <p className="note note-error" role="alert">
          {problem}
        </p>
      ) : null}
      <ActionFeedback action={action} />
      <div className="row">
        <button type="submit" className="primary" disabled={action.busy}>
          {server ? 'Save' : 'Add server'}
        </button>
        {props.onCancel ? (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
