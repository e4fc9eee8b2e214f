/**
 * Changes: tool (prompt, resource template, instructions) definition changes held for review, with
 * their diff and findings; accept or reject each, or accept all of a server's.
 * Test hooks: checkbox "Show reviewed changes"; a region per server named "Changes of <server>" with
 * button "Accept all for <server>"; an item per change named "Change <name> on <server>" with buttons
 * "Accept" and "Reject"; the diff group "Diff of <name>" and list "Findings for <name>".
 */
import { useCallback, useState } from 'react';
import type { Change } from '../../../shared/schemas/changes.ts';
import type { ServicesClient } from '../api/services-client.ts';
import { ActionButton } from '../components/buttons.tsx';
import { ChangeDiff } from '../components/change-diff.tsx';
import { ActionFeedback } from '../components/feedback.tsx';
import { CheckField } from '../components/fields.tsx';
import { QueryView } from '../components/page-state.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { useServiceQuery } from '../hooks/use-service-query.ts';
import { valueText } from '../lib/diff-lines.ts';
import { formatTime } from '../lib/time-format.ts';

const kindLabels: Record<Change['kind'], string> = {
  tool: 'tool',
  prompt: 'prompt',
  'resource-template': 'resource template',
  instructions: 'server instructions',
};

function groupByServer(changes: readonly Change[]): [string, Change[]][] {
  const groups = new Map<string, Change[]>();
  for (const change of changes) groups.set(change.server, [...(groups.get(change.server) ?? []), change]);
  return [...groups];
}

export function ChangesPage() {
  const client = useClient();
  const [all, setAll] = useState(false);
  const fetchChanges = useCallback(
    (c: ServicesClient) => c.call('changes.list', all ? {} : { status: 'pending' }),
    [all],
  );
  const changes = useServiceQuery(client, fetchChanges, ['changes-changed']);
  return (
    <div>
      <p className="page-intro">
        When a server changes a tool’s definition, or adds one, Gatehouse holds it until you review it here.
      </p>
      <CheckField checked={all} onChange={setAll}>
        Show reviewed changes
      </CheckField>
      <QueryView
        query={changes}
        what="changes"
        isEmpty={(list) => list.length === 0}
        empty={<p>{all ? 'No changes recorded.' : 'Nothing is held for review.'}</p>}
      >
        {(list) =>
          groupByServer(list).map(([server, items]) => (
            <ServerChanges key={server} server={server} changes={items} onChanged={changes.reload} />
          ))
        }
      </QueryView>
    </div>
  );
}

function ServerChanges(props: { server: string; changes: Change[]; onChanged: () => void }) {
  const client = useClient();
  const action = useAction();
  const pending = props.changes.filter((change) => change.status === 'pending').length;
  return (
    <section className="server-changes" aria-label={`Changes of ${props.server}`}>
      <div className="card-head">
        <h2 className="card-title">{props.server}</h2>
        {pending > 0 ? (
          <ActionButton
            className="small"
            action={action}
            run={() => client.call('changes.accept', { server: props.server })}
            done="All changes accepted."
            onDone={props.onChanged}
          >
            Accept all for {props.server}
          </ActionButton>
        ) : null}
      </div>
      <ActionFeedback action={action} />
      <ul className="cards">
        {props.changes.map((change) => (
          <ChangeItem key={change.id} change={change} onChanged={props.onChanged} />
        ))}
      </ul>
    </section>
  );
}

function ChangeItem(props: { change: Change; onChanged: () => void }) {
  const { change } = props;
  const client = useClient();
  const action = useAction();
  const name = change.name || kindLabels[change.kind];
  const showDefinition = change.diff.length === 0 && (change.after ?? change.before) !== undefined;
  return (
    <li className="card" aria-label={`Change ${name} on ${change.server}`}>
      <div className="card-head">
        <h3 className="card-title">{name}</h3>
        <span className="badge">
          {change.change} {kindLabels[change.kind]}
        </span>
        <span className={`badge severity-${change.severity}`}>{change.severity}</span>
        {change.status !== 'pending' ? <span className="badge">{change.status}</span> : null}
      </div>
      <p className="muted">
        Seen {formatTime(change.detectedAt)} ({change.source})
        {change.decidedAt ? ` · decided ${formatTime(change.decidedAt)}` : ''}
      </p>
      {change.findings.length ? (
        <ul className="findings" aria-label={`Findings for ${name}`}>
          {change.findings.map((finding, index) => (
            <li key={index}>
              <span className={`badge severity-${finding.severity}`}>{finding.severity}</span>{' '}
              {finding.message}
              {finding.path ? (
                <>
                  {' '}
                  <code>{finding.path}</code>
                </>
              ) : null}
              {finding.excerpt ? <pre className="code excerpt">{finding.excerpt}</pre> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <ChangeDiff entries={change.diff} label={`Diff of ${name}`} />
      {showDefinition ? (
        <details>
          <summary>{change.change === 'removed' ? 'Last known definition' : 'Definition'}</summary>
          <pre className="code" tabIndex={0}>
            {valueText(change.after ?? change.before, 20_000)}
          </pre>
        </details>
      ) : null}
      {change.status === 'pending' ? (
        <div className="row">
          <ActionButton
            className="small primary"
            action={action}
            run={() => client.call('changes.accept', { id: change.id })}
            done="Accepted."
            onDone={props.onChanged}
          >
            Accept
          </ActionButton>
          <ActionButton
            className="small danger"
            action={action}
            run={() => client.call('changes.reject', { id: change.id })}
            done="Rejected: the tool stays held."
            onDone={props.onChanged}
          >
            Reject
          </ActionButton>
        </div>
      ) : null}
      <ActionFeedback action={action} />
    </li>
  );
}
