import { useState, type FormEvent } from 'react';
import type { ArgMatch, RuleAction } from '../../../shared/schemas/policy.ts';
import { ActionFeedback } from '../components/feedback.tsx';
import { SelectField, TextField, type Choice } from '../components/fields.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { emptyRuleDraft, ruleInputFromDraft, type ArgRow, type RuleDraft } from '../lib/rule-form.ts';

const actionChoices: Choice<RuleAction>[] = [
  { value: 'allow', label: 'allow' },
  { value: 'ask', label: 'ask' },
  { value: 'deny', label: 'deny' },
  { value: 'hide', label: 'hide (the tool is not listed)' },
];

const expiryChoices = [
  { value: '', label: 'Never' },
  { value: '15', label: '15 minutes' },
  { value: '60', label: '1 hour' },
  { value: '1440', label: '1 day' },
  { value: '10080', label: '7 days' },
  { value: '43200', label: '30 days' },
] as const;

const opLabels: Record<ArgMatch['op'], string> = {
  equals: 'equals',
  glob: 'matches glob',
  regex: 'matches regex',
  'one-of': 'is one of',
};

/**
 * The rule editor (`policy.add`). Test hooks: form "Add rule"; fields "Action", "Server", "Tool",
 * "Client", "Expires", "Note"; button "Add argument condition" adds "Argument path N", "Comparison N",
 * "Value N"; submit button "Add rule".
 */
export function RuleEditor(props: { onAdded: () => void }) {
  const client = useClient();
  const action = useAction();
  const [draft, setDraft] = useState<RuleDraft>(emptyRuleDraft);
  const [problem, setProblem] = useState<string | undefined>();
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const setArg = (index: number, patch: Partial<ArgRow>) =>
    set(
      'args',
      draft.args.map((row, i) => (i === index ? { ...row, ...patch } : row)),
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = ruleInputFromDraft(draft, Date.now());
    if ('error' in input) return setProblem(input.error);
    setProblem(undefined);
    void action
      .run(() => client.call('policy.add', input), 'Rule added.')
      .then((ok) => {
        if (ok) {
          setDraft(emptyRuleDraft());
          props.onAdded();
        }
      });
  };

  return (
    <form className="card form" aria-label="Add rule" onSubmit={submit} noValidate>
      <h2>Add a rule</h2>
      <div className="grid">
        <SelectField
          label="Action"
          value={draft.action}
          choices={actionChoices}
          onChange={(value) => set('action', value)}
        />
        <TextField
          label="Server"
          value={draft.server}
          placeholder="any (glob, e.g. git*)"
          spellCheck={false}
          onChange={(value) => set('server', value)}
        />
        <TextField
          label="Tool"
          value={draft.tool}
          placeholder="any (glob, e.g. delete_*)"
          spellCheck={false}
          onChange={(value) => set('tool', value)}
        />
        <TextField
          label="Client"
          value={draft.client}
          placeholder="any (exact name)"
          spellCheck={false}
          onChange={(value) => set('client', value)}
        />
        <SelectField
          label="Expires"
          value={draft.expiresInMinutes}
          choices={expiryChoices}
          onChange={(value) => set('expiresInMinutes', value)}
        />
        <TextField label="Note" value={draft.note} maxLength={500} onChange={(value) => set('note', value)} />
      </div>
      <fieldset className="args-editor">
        <legend>Argument conditions (all must match)</legend>
        {draft.args.map((row, index) => (
          <div className="kv-row" key={index}>
            <label>
              <span className="visually-hidden">Argument path {index + 1}</span>
              <input
                value={row.pointer}
                placeholder="/path (JSON Pointer)"
                spellCheck={false}
                onChange={(event) => setArg(index, { pointer: event.target.value })}
              />
            </label>
            <label>
              <span className="visually-hidden">Comparison {index + 1}</span>
              <select
                value={row.op}
                onChange={(event) => setArg(index, { op: event.target.value as ArgMatch['op'] })}
              >
                {(Object.keys(opLabels) as ArgMatch['op'][]).map((op) => (
                  <option key={op} value={op}>
                    {opLabels[op]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span className="visually-hidden">Value {index + 1}</span>
              <input
                value={row.value}
                placeholder={row.op === 'one-of' ? 'a, b, c or a JSON array' : 'value'}
                spellCheck={false}
                onChange={(event) => setArg(index, { value: event.target.value })}
              />
            </label>
            <button
              type="button"
              className="small"
              aria-label={`Remove argument condition ${index + 1}`}
              onClick={() =>
                set(
                  'args',
                  draft.args.filter((_, i) => i !== index),
                )
              }
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          className="small"
          onClick={() => set('args', [...draft.args, { pointer: '', op: 'glob', value: '' }])}
        >
          Add argument condition
        </button>
      </fieldset>
      {problem ? (
        <p className="note note-error" role="alert">
          {problem}
        </p>
      ) : null}
      <ActionFeedback action={action} />
      <button type="submit" className="primary" disabled={action.busy}>
        Add rule
      </button>
    </form>
  );
}
