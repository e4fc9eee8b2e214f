import { useState, type FormEvent } from 'react';
import type { ClientView } from '../../../shared/schemas/clients.ts';
import type { ServerView } from '../../../shared/schemas/servers.ts';
import { ActionFeedback } from '../components/feedback.tsx';
import { CheckField } from '../components/fields.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { wordList } from '../lib/key-values.ts';
import { withToggled } from '../lib/toggle-set.ts';

/**
 * Which servers a client may reach and which tools it sees (`clients.update`).
 * Test hooks: form "Access for <name>"; checkbox "All servers" and one per server name; field
 * "Tool filter"; button "Save access".
 */
export function ClientAccessForm(props: {
  record: ClientView;
  servers: ServerView[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const { record } = props;
  const client = useClient();
  const action = useAction();
  const [all, setAll] = useState(record.servers === undefined);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(record.servers ?? []));
  const [filter, setFilter] = useState((record.toolFilter ?? []).join('\n'));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const globs = wordList(filter);
    void action
      .run(() =>
        client.call('clients.update', {
          name: record.name,
          servers: all ? null : [...chosen],
          toolFilter: globs.length ? globs : null,
        }),
      )
      .then((ok) => {
        if (ok) props.onDone();
      });
  };
  return (
    <form className="form sub" aria-label={`Access for ${record.name}`} onSubmit={submit}>
      <fieldset>
        <legend>Servers this client may reach</legend>
        <CheckField checked={all} onChange={setAll}>
          All servers
        </CheckField>
        {!all
          ? props.servers.map((server) => (
              <CheckField
                key={server.name}
                checked={chosen.has(server.name)}
                onChange={(on) => setChosen(withToggled(chosen, server.name, on))}
              >
                {server.name}
              </CheckField>
            ))
          : null}
      </fieldset>
      <label className="field">
        <span>Tool filter</span>
        <textarea
          rows={3}
          value={filter}
          spellCheck={false}
          placeholder="Tool-name globs, one per line (e.g. github__*); empty = every tool"
          onChange={(event) => setFilter(event.target.value)}
        />
      </label>
      <ActionFeedback action={action} />
      <div className="row">
        <button type="submit" className="primary" disabled={action.busy}>
          Save access
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
