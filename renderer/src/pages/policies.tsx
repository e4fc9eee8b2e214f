/**
 * Policies: the rules (first match wins as the policy engine decides), the rule editor, the defaults
 * per risk class, and "Pause writes".
 * Test hooks: list "Rules" with items named "Rule <id>" and buttons "Remove rule <id>" then "Confirm";
 * form "Add rule" (rule-editor.tsx); group "Defaults" with selects "Read-only tools", "Write tools",
 * "Destructive tools", "Unknown tools"; group "Pause writes" (pause-controls.tsx).
 */
import type { Preferences } from '../../../shared/schemas/settings.ts';
import type { Rule } from '../../../shared/schemas/policy.ts';
import type { ServicesClient } from '../api/services-client.ts';
import { ConfirmButton } from '../components/buttons.tsx';
import { ActionFeedback } from '../components/feedback.tsx';
import { SelectField, type Choice } from '../components/fields.tsx';
import { PauseControls } from '../components/pause-controls.tsx';
import { QueryView } from '../components/page-state.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { useServiceQuery } from '../hooks/use-service-query.ts';
import { describeArgMatch, describeRuleScope } from '../lib/rule-form.ts';
import { formatTime } from '../lib/time-format.ts';
import { RuleEditor } from './rule-editor.tsx';

const fetchRules = (client: ServicesClient) => client.call('policy.list');
const fetchSettings = (client: ServicesClient) => client.call('settings.get');

const riskRows = [
  { key: 'policy.defaults.read', risk: 'read', label: 'Read-only tools' },
  { key: 'policy.defaults.write', risk: 'write', label: 'Write tools' },
  { key: 'policy.defaults.destructive', risk: 'destructive', label: 'Destructive tools' },
  { key: 'policy.defaults.unknown', risk: 'unknown', label: 'Unknown tools' },
] as const;

const defaultChoices: Choice[] = [
  { value: 'allow', label: 'allow' },
  { value: 'ask', label: 'ask' },
  { value: 'deny', label: 'deny' },
];

export function PoliciesPage() {
  const client = useClient();
  const rules = useServiceQuery(client, fetchRules, ['rules-changed']);
  const settings = useServiceQuery(client, fetchSettings, ['settings-changed']);
  return (
    <div>
      <p className="page-intro">
        Every tool call is allowed, asked, denied or hidden by the first matching rule, else by the default
        for the tool’s risk.
      </p>
      <section aria-labelledby="rules-title">
        <h2 id="rules-title">Rules</h2>
        <QueryView
          query={rules}
          what="rules"
          isEmpty={(list) => list.length === 0}
          empty={<p>No rules: the defaults below decide every call.</p>}
        >
          {(list) => (
            <ul className="cards" aria-label="Rules">
              {list.map((rule) => (
                <RuleItem key={rule.id} rule={rule} onChanged={rules.reload} />
              ))}
            </ul>
          )}
        </QueryView>
        <RuleEditor onAdded={rules.reload} />
      </section>
      <section aria-labelledby="defaults-title">
        <h2 id="defaults-title">Defaults by risk</h2>
        <QueryView query={settings} what="defaults">
          {(prefs) => <Defaults prefs={prefs} onChanged={settings.reload} />}
        </QueryView>
      </section>
      <section aria-labelledby="pause-title">
        <h2 id="pause-title">Pause writes</h2>
        <p className="muted">While paused, every call that is not read-only asks (or is denied).</p>
        <PauseControls />
      </section>
    </div>
  );
}

function RuleItem(props: { rule: Rule; onChanged: () => void }) {
  const { rule } = props;
  const client = useClient();
  const action = useAction();
  return (
    <li className="card rule" aria-label={`Rule ${rule.id}`}>
      <div className="card-head">
        <span className={`badge action-${rule.action}`}>{rule.action}</span>
        <span className="rule-scope">{describeRuleScope(rule)}</span>
        <ConfirmButton
          label={`Remove rule ${rule.id}`}
          question="Remove this rule?"
          action={action}
          run={() => client.call('policy.remove', { id: rule.id })}
          onDone={props.onChanged}
        >
          Remove
        </ConfirmButton>
      </div>
      {rule.args.length ? (
        <ul className="plain">
          {rule.args.map((match, index) => (
            <li key={index}>
              <code>{describeArgMatch(match)}</code>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="muted">
        {rule.id} · {rule.source === 'approval' ? 'from an approval' : 'added by you'} ·{' '}
        {formatTime(rule.createdAt)}
        {rule.expiresAt ? ` · expires ${formatTime(rule.expiresAt)}` : ''}
        {rule.note ? ` · ${rule.note}` : ''}
      </p>
      <ActionFeedback action={action} />
    </li>
  );
}

function Defaults(props: { prefs: Preferences; onChanged: () => void }) {
  const client = useClient();
  const action = useAction();
  return (
    <div role="group" aria-label="Defaults" className="grid">
      {riskRows.map((row) => (
        <SelectField
          key={row.key}
          label={row.label}
          value={props.prefs.policy.defaults[row.risk]}
          choices={defaultChoices}
          disabled={action.busy}
          onChange={(value) =>
            void action
              .run(() => client.call('settings.set', { key: row.key, value }), `${row.label}: ${value}.`)
              .then(props.onChanged)
          }
        />
      ))}
      <ActionFeedback action={action} />
    </div>
  );
}
