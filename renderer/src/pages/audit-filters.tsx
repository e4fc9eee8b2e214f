import { useState, type FormEvent } from 'react';
import { auditDecisionSchema, auditOutcomeSchema } from '../../../shared/schemas/audit.ts';
import { SelectField, TextField, type Choice } from '../components/fields.tsx';
import { emptyFilters, type FilterDraft } from '../lib/audit-filters.ts';

const ranges: Choice[] = [
  { value: '', label: 'Any time' },
  { value: '60', label: 'Last hour' },
  { value: '1440', label: 'Last 24 hours' },
  { value: '10080', label: 'Last 7 days' },
  { value: 'custom', label: 'Custom' },
];

/** "Any" then each value as itself. */
const anyOf = (values: readonly string[]): Choice[] => [
  { value: '', label: 'Any' },
  ...values.map((value) => ({ value, label: value })),
];
const decisions = anyOf(auditDecisionSchema.options);
const outcomes = anyOf([...auditOutcomeSchema.options, 'pending']);
const kinds: Choice<FilterDraft['kind']>[] = [
  { value: 'call', label: 'Tool calls' },
  { value: 'event', label: 'Other events' },
  { value: 'all', label: 'Everything' },
];

/**
 * The audit filters. Test hooks: form "Audit filters"; fields "Time range" (+ "From", "To" when
 * Custom), "Client", "Server", "Tool", "Decision", "Outcome", "Text", "Records"; buttons "Apply
 * filters", "Clear filters".
 */
export function AuditFilters(props: { onApply: (draft: FilterDraft) => void }) {
  const [draft, setDraft] = useState<FilterDraft>(emptyFilters);
  const set = <K extends keyof FilterDraft>(key: K, value: FilterDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onApply(draft);
  };
  const text = (key: 'client' | 'server' | 'tool' | 'text', label: string) => (
    <TextField label={label} value={draft[key]} spellCheck={false} onChange={(value) => set(key, value)} />
  );
  return (
    <form className="card form filters" aria-label="Audit filters" onSubmit={submit}>
      <div className="grid">
        <SelectField
          label="Time range"
          value={draft.range}
          choices={ranges}
          onChange={(value) => set('range', value)}
        />
        {draft.range === 'custom' ? (
          <>
            <TextField
              label="From"
              type="datetime-local"
              value={draft.from}
              onChange={(value) => set('from', value)}
            />
            <TextField
              label="To"
              type="datetime-local"
              value={draft.to}
              onChange={(value) => set('to', value)}
            />
          </>
        ) : null}
        {text('client', 'Client')}
        {text('server', 'Server')}
        {text('tool', 'Tool')}
        <SelectField
          label="Decision"
          value={draft.decision}
          choices={decisions}
          onChange={(value) => set('decision', value)}
        />
        <SelectField
          label="Outcome"
          value={draft.outcome}
          choices={outcomes}
          onChange={(value) => set('outcome', value)}
        />
        {text('text', 'Text')}
        <SelectField
          label="Records"
          value={draft.kind}
          choices={kinds}
          onChange={(value) => set('kind', value)}
        />
      </div>
      <div className="row">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft(emptyFilters);
            props.onApply(emptyFilters);
          }}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
