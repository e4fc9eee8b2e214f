import { useEffect, useRef } from 'react';
import type { AuditRecord } from '../../../shared/schemas/audit.ts';
import { ArgumentsBlock } from '../components/approval-card.tsx';
import { fullArgumentsText } from '../lib/args-text.ts';
import { formatDurationMs, formatTime } from '../lib/time-format.ts';

/** One audited record in full, as text: arguments and detail as pretty JSON in <pre>, never HTML. */
export function AuditDetail(props: { record: AuditRecord; onClose: () => void }) {
  const { record } = props;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), [record.seq]);
  const facts: [string, string | undefined][] = [
    ['Time', formatTime(record.at)],
    ['Kind', record.kind],
    ['Client', record.client],
    ['Session', record.session],
    ['Server', record.server],
    ['Tool', record.tool],
    ['Request', record.requestId],
    ['Risk', record.risk],
    ['Decision', record.decision],
    ['Rule', record.ruleId],
    ['Approval', record.approvalAnswer],
    ['Approval took', record.approvalMs !== undefined ? formatDurationMs(record.approvalMs) : undefined],
    ['Outcome', record.outcome],
    ['Completed', record.completedAt ? formatTime(record.completedAt) : undefined],
    ['Duration', record.durationMs !== undefined ? formatDurationMs(record.durationMs) : undefined],
    ['Result size', record.resultBytes !== undefined ? `${record.resultBytes} bytes` : undefined],
    ['Error', record.error],
  ];
  return (
    <section
      className="card detail"
      aria-label={`Record ${record.seq}`}
      ref={ref}
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onClose();
      }}
    >
      <div className="card-head">
        <h2 className="card-title">Record {record.seq}</h2>
        <button type="button" className="small" onClick={props.onClose}>
          Close
        </button>
      </div>
      <dl className="facts">
        {facts
          .filter((fact): fact is [string, string] => Boolean(fact[1]))
          .map(([label, value]) => (
            <div key={label} className="fact">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {record.args !== undefined ? <ArgumentsBlock value={record.args} /> : null}
      {record.detail !== undefined ? (
        <>
          <p className="label">Detail</p>
          <pre className="code" tabIndex={0}>
            {fullArgumentsText(record.detail)}
          </pre>
        </>
      ) : null}
    </section>
  );
}
