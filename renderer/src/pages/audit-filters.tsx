import { useState, type FormEvent } from 'react';
import { auditDecisionSchema, auditOutcomeSchema } from '../../../shared/schemas/audit.ts';
import { emptyFilters, type FilterDraft } from '../lib/audit-filters.ts';

const ranges = [
  { value: '', label: 'Any time' },
  { value: '60', label: 'Last hour' },
  { value: '1440', label: 'Last 24 hours' },
  { value: '10080', label: 'Last 7 days' },
  { value: 'custom', label: 'Custom' },
] as const;

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
    <label className="field">
      <span>{label}</span>
      <input value={draft[key]} spellCheck={false} onChange={(event) => set(key, event.target.value)} />
    </label>
  );
  return (
    <form className="card form filters" aria-label="Audit filters" onSubmit={submit}>
      <div className="grid">
        <label className="field">
          <span>Time range</span>
          <select value={draft.range} onChange={(event) => set('range', event.target.value)}>
            {ranges.map((range) => (
              <option key={range.value} value={range.value}>
                {range.label}
              </option>
            ))}
          </select>
        </label>
        {draft.range === 'custom' ? (
          <>
            <label className="field">
              <span>From</span>
              <input
                type="datetime-local"
                value={draft.from}
                onChange={(event) => set('from', event.target.value)}
              />
            </label>
            <label className="field">
              <span>To</span>
              <input
                type="datetime-local"
                value={draft.to}
                onChange={(event) => set('to', event.target.value)}
              />
            </label>
          </>
        ) : null}
        {text('client', 'Client')}
        {text('server', 'Server')}
        {text('tool', 'Tool')}
        <label className="field">
          <span>Decision</span>
          <select value={draft.decision} onChange={(event) => set('decision', event.target.value)}>
            <option value="">Any</option>
            {auditDecisionSchema.options.map((decision) => (
              <option key={decision} value={decision}>
                {decision}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Outcome</span>
          <select value={draft.outcome} onChange={(event) => set('outcome', event.target.value)}>
            <option value="">Any</option>
            {[...auditOutcomeSchema.options, 'pending'].map((outcome) => (
              <option key={outcome} value={outcome}>
                {outcome}
              </option>
            ))}
          </select>
        </label>
        {text('text', 'Text')}
        <label className="field">
          <span>Records</span>
          <select
            value={draft.kind}
            onChange={(event) => set('kind', event.target.value as FilterDraft['kind'])}
          >
            <option value="call">Tool calls</option>
            <option value="event">Other events</option>
            <option value="all">Everything</option>
          </select>
        </label>
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
