/**
 * Audit: the audit log with filters, paging, a detail view (arguments, result summary, detail as
 * text), export (JSONL/CSV, built here from paged `audit.query` results: the contract has no export
 * channel) and hash-chain verification.
 * Test hooks: form "Audit filters" (audit-filters.tsx); table "Audit records" (a row per record);
 * button "Details for record <seq>" opens region "Record <seq>"; buttons "Newer", "Older";
 * select "Export format" + button "Export"; button "Verify log".
 */
import { useCallback, useMemo, useState } from 'react';
import type { AuditQueryInput, AuditRecord } from '../../../shared/schemas/audit.ts';
import { auditQuerySchema } from '../../../shared/schemas/audit.ts';
import type { ServicesClient } from '../api/services-client.ts';
import { ActionButton } from '../components/buttons.tsx';
import { DataTable } from '../components/data-table.tsx';
import { ActionFeedback } from '../components/feedback.tsx';
import { QueryView } from '../components/page-state.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useClient } from '../hooks/use-client.ts';
import { useServiceQuery } from '../hooks/use-service-query.ts';
import { exportFileName, exportText, type ExportFormat } from '../lib/audit-export.ts';
import { formatDurationMs, formatTime } from '../lib/time-format.ts';
import { AuditDetail } from './audit-detail.tsx';
import { AuditFilters } from './audit-filters.tsx';
import { emptyFilters, queryFromFilters, type FilterDraft } from '../lib/audit-filters.ts';

const PAGE_SIZE = 50;
const columns = ['Time', 'Kind', 'Client', 'Server', 'Tool', 'Decision', 'Outcome', 'Duration'];
/** An export stops after this many records (the command line has no limit: `gatehouse audit export`). */
const EXPORT_LIMIT = 100_000;

export function AuditPage() {
  const client = useClient();
  const [filters, setFilters] = useState<FilterDraft>(emptyFilters);
  const [appliedAt, setAppliedAt] = useState(() => Date.now());
  /** Cursors of the pages before this one (`undefined` = the newest page). */
  const [cursors, setCursors] = useState<(number | undefined)[]>([]);
  const [before, setBefore] = useState<number | undefined>();
  const [selected, setSelected] = useState<number | undefined>();
  const query = useMemo(() => queryFromFilters(filters, appliedAt), [filters, appliedAt]);
  const fetchPage = useCallback(
    (c: ServicesClient) =>
      c.call('audit.query', { ...query, limit: PAGE_SIZE, ...(before ? { before } : {}) }),
    [query, before],
  );
  // Only the newest page follows new records; older pages stay put while read.
  const page = useServiceQuery(client, fetchPage, before === undefined ? ['audit-appended'] : []);
  const selectedRecord = page.data?.records.find((record) => record.seq === selected);

  return (
    <div>
      <AuditFilters
        onApply={(draft) => {
          setFilters(draft);
          setAppliedAt(Date.now());
          setCursors([]);
          setBefore(undefined);
          setSelected(undefined);
        }}
      />
      <QueryView
        query={page}
        what="audit records"
        isEmpty={(data) => data.records.length === 0}
        empty={<p>No audited records match.</p>}
      >
        {(data) => (
          <DataTable label="Audit records" className="audit" columns={columns} actions="Details">
            {data.records.map((record) => (
              <AuditRow
                key={record.seq}
                record={record}
                selected={record.seq === selected}
                onSelect={() => setSelected(record.seq === selected ? undefined : record.seq)}
              />
            ))}
          </DataTable>
        )}
      </QueryView>
      <div className="pager">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => {
            setBefore(cursors.at(-1));
            setCursors(cursors.slice(0, -1));
            setSelected(undefined);
          }}
        >
          Newer
        </button>
        <button
          type="button"
          disabled={!page.data?.nextBefore}
          onClick={() => {
            setCursors([...cursors, before]);
            setBefore(page.data?.nextBefore);
            setSelected(undefined);
          }}
        >
          Older
        </button>
      </div>
      {selectedRecord ? <AuditDetail record={selectedRecord} onClose={() => setSelected(undefined)} /> : null}
      <ExportAndVerify query={query} />
    </div>
  );
}

function AuditRow(props: { record: AuditRecord; selected: boolean; onSelect: () => void }) {
  const { record } = props;
  return (
    <tr className={props.selected ? 'selected' : undefined}>
      <td>{formatTime(record.at)}</td>
      <td>{record.kind}</td>
      <td>{record.client ?? ''}</td>
      <td>{record.server ?? ''}</td>
      <td>{record.tool ?? ''}</td>
      <td>
        {record.decision ? <span className={`badge action-${record.decision}`}>{record.decision}</span> : ''}
      </td>
      <td>
        {record.outcome ? <span className={`badge outcome-${record.outcome}`}>{record.outcome}</span> : ''}
      </td>
      <td>{record.durationMs !== undefined ? formatDurationMs(record.durationMs) : ''}</td>
      <td>
        <button
          type="button"
          className="small"
          aria-label={`Details for record ${record.seq}`}
          aria-expanded={props.selected}
          onClick={props.onSelect}
        >
          Details
        </button>
      </td>
    </tr>
  );
}

/** Every record matching `query`, newest first, page by page. */
async function collectAll(client: ServicesClient, query: AuditQueryInput): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  let before: number | undefined;
  for (;;) {
    const input = auditQuerySchema.parse({ ...query, limit: 1000, ...(before ? { before } : {}) });
    const page = await client.call('audit.query', input);
    records.push(...page.records);
    if (!page.nextBefore || records.length >= EXPORT_LIMIT) return records.slice(0, EXPORT_LIMIT);
    before = page.nextBefore;
  }
}

function download(text: string, fileName: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ExportAndVerify(props: { query: AuditQueryInput }) {
  const client = useClient();
  const exporting = useAction();
  const verifying = useAction();
  const [format, setFormat] = useState<ExportFormat>('jsonl');
  const [verdict, setVerdict] = useState<string | undefined>();
  return (
    <section aria-labelledby="export-title" className="card">
      <h2 id="export-title">Export and verify</h2>
      <div className="row">
        <label>
          Export format{' '}
          <select value={format} onChange={(event) => setFormat(event.target.value as ExportFormat)}>
            <option value="jsonl">JSON Lines</option>
            <option value="csv">CSV</option>
          </select>
        </label>
        <ActionButton
          action={exporting}
          run={async () => {
            const records = await collectAll(client, props.query);
            download(
              exportText(records, format),
              exportFileName(format, new Date()),
              format === 'csv' ? 'text/csv' : 'application/x-ndjson',
            );
          }}
          done="Export ready (the matching records, as filtered above)."
        >
          {exporting.busy ? 'Exporting…' : 'Export'}
        </ActionButton>
        <ActionButton
          action={verifying}
          run={async () => {
            setVerdict(undefined);
            const result = await client.call('audit.verify');
            setVerdict(
              result.ok
                ? `The log is intact: ${result.checked} record(s) checked.`
                : `The log is broken at record ${result.firstBroken?.seq ?? '?'}: ${result.firstBroken?.reason ?? 'unknown reason'} (${result.checked} checked).`,
            );
          }}
        >
          {verifying.busy ? 'Verifying…' : 'Verify log'}
        </ActionButton>
      </div>
      <ActionFeedback action={exporting} />
      <ActionFeedback action={verifying} />
      {verdict ? (
        <p
          className={`note ${verdict.startsWith('The log is intact') ? 'note-ok' : 'note-error'}`}
          role="status"
        >
          {verdict}
        </p>
      ) : null}
    </section>
  );
}
