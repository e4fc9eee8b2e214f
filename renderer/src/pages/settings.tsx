/**
 * Settings: each preference saved on its own with `settings.set` (the service checks it; its message
 * shows under the field). Numbers save with their "Save" button (or Enter in the field), switches and
 * choices at once. Test hooks: fields labelled as in `fields` below ("Gateway port", "Theme", …);
 * buttons "Save <label>"; errors are alerts next to the field.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { PreferenceKey, Preferences } from '../../../shared/schemas/settings.ts';
import { readPreference } from '../../../shared/schemas/settings.ts';
import type { ServicesClient } from '../api/services-client.ts';
import { QueryView } from '../components/page-state.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { useServiceQuery } from '../hooks/use-service-query.ts';
import { BrowserSignOut } from '../components/browser-sign-out.tsx';

const fetchSettings = (client: ServicesClient) => client.call('settings.get');

type Field =
  | { key: PreferenceKey; label: string; kind: 'number'; help?: string; step?: string }
  | { key: PreferenceKey; label: string; kind: 'boolean'; help?: string }
  | {
      key: PreferenceKey;
      label: string;
      kind: 'select';
      options: { value: string; label: string }[];
      help?: string;
    };

const sections: { title: string; fields: Field[] }[] = [
  {
    title: 'Gateway',
    fields: [
      {
        key: 'gateway.port',
        label: 'Gateway port',
        kind: 'number',
        help: 'Clients’ endpoints change with it.',
      },
      {
        key: 'sessions.idleMinutes',
        label: 'End idle sessions after (minutes)',
        kind: 'number',
        step: 'any',
      },
      { key: 'upstream.timeoutSeconds', label: 'Upstream request timeout (seconds)', kind: 'number' },
      { key: 'upstream.connectTimeoutSeconds', label: 'Upstream connect timeout (seconds)', kind: 'number' },
      { key: 'upstream.maxMessageMiB', label: 'Largest upstream message (MiB)', kind: 'number' },
    ],
  },
  {
    title: 'Approvals and tool pinning',
    fields: [
      {
        key: 'approvals.timeoutSeconds',
        label: 'Deny unanswered approvals after (seconds)',
        kind: 'number',
      },
      {
        key: 'pinning.newTools',
        label: 'New tools from known servers',
        kind: 'select',
        options: [
          { value: 'hold', label: 'Hold until reviewed' },
          { value: 'allow-notify', label: 'Allow and notify' },
        ],
      },
      {
        key: 'pinning.relistMinutes',
        label: 'Check servers for changes every (minutes)',
        kind: 'number',
        step: 'any',
        help: '0 = only when a client lists tools.',
      },
    ],
  },
  {
    title: 'Audit log',
    fields: [
      { key: 'audit.retentionDays', label: 'Keep audit records for (days)', kind: 'number' },
      {
        key: 'audit.durable',
        label: 'Durable audit log',
        kind: 'boolean',
        help: 'Every record reaches the disk before the call goes on: slower, survives power loss.',
      },
    ],
  },
  {
    title: 'App',
    fields: [
      {
        key: 'app.startAtLogin',
        label: 'Start Gatehouse at login',
        kind: 'boolean',
        help: 'Desktop app only.',
      },
      {
        key: 'app.theme',
        label: 'Theme',
        kind: 'select',
        options: [
          { value: 'system', label: 'Follow the system' },
          { value: 'light', label: 'Light' },
          { value: 'dark', label: 'Dark' },
        ],
      },
    ],
  },
];

export function SettingsPage() {
  const client = useClient();
  const settings = useServiceQuery(client, fetchSettings, ['settings-changed']);
  return (
    <div>
      <p className="page-intro">
        Changes apply at once. Policy defaults are on <a href="#/policies">Policies</a>.
      </p>
      <QueryView query={settings} what="settings">
        {(prefs) =>
          sections.map((section) => (
            <section key={section.title} className="card form" aria-label={section.title}>
              <h2>{section.title}</h2>
              {section.fields.map((field) => (
                <SettingField key={field.key} field={field} prefs={prefs} onSaved={settings.reload} />
              ))}
            </section>
          ))
        }
      </QueryView>
      <BrowserSignOut />
    </div>
  );
}

function SettingField(props: { field: Field; prefs: Preferences; onSaved: () => void }) {
  const { field } = props;
  const client = useClient();
  const action = useAction();
  const id = useId();
  const current = readPreference(props.prefs, field.key);
  const [text, setText] = useState(String(current));
  useEffect(() => setText(String(current)), [current]);

  const save = (value: unknown) =>
    void action
      .run(() => client.call('settings.set', { key: field.key, value }), 'Saved.')
      .then((ok) => {
        if (ok) props.onSaved();
      });
  const describedBy = [field.help ? `${id}-help` : '', action.error || action.done ? `${id}-result` : '']
    .filter(Boolean)
    .join(' ');
  const result =
    action.error || action.done ? (
      <span
        id={`${id}-result`}
        className={action.error ? 'field-error' : 'field-ok'}
        role={action.error ? 'alert' : 'status'}
      >
        {action.error ?? action.done}
      </span>
    ) : null;
  const help = field.help ? (
    <small id={`${id}-help`} className="muted">
      {field.help}
    </small>
  ) : null;

  if (field.kind === 'boolean')
    return (
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            checked={current === true}
            disabled={action.busy}
            aria-describedby={describedBy || undefined}
            onChange={(event) => save(event.target.checked)}
          />
          {field.label}
        </label>
        {help}
        {result}
      </div>
    );

  if (field.kind === 'select')
    return (
      <div className="field">
        <label htmlFor={id}>{field.label}</label>
        <select
          id={id}
          value={String(current)}
          disabled={action.busy}
          aria-describedby={describedBy || undefined}
          onChange={(event) => save(event.target.value)}
        >
          {field.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        {help}
        {result}
      </div>
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(text);
    // A non-number goes to the service as text so its own message explains what is expected.
    save(text.trim() === '' || Number.isNaN(value) ? text : value);
  };
  return (
    <form className="field setting" onSubmit={submit}>
      <label htmlFor={id}>{field.label}</label>
      <div className="row">
        <input
          id={id}
          type="number"
          inputMode="decimal"
          step={field.step ?? '1'}
          value={text}
          aria-invalid={action.error ? true : undefined}
          aria-describedby={describedBy || undefined}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="small" disabled={action.busy || text === String(current)}>
          Save<span className="visually-hidden"> {field.label}</span>
        </button>
      </div>
      {help}
      {result}
    </form>
  );
}
