import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../shared/schemas/audit.ts';
import { exportFileName, exportText } from '../../../renderer/src/lib/audit-export.ts';

const records: AuditRecord[] = [
  {
    seq: 2,
    at: '2026-01-01T00:00:01.000Z',
    kind: 'call',
    client: 'cursor',
    server: 'everything',
    tool: 'echo',
    decision: 'allow',
    outcome: 'ok',
    args: { message: 'a, "quoted" value' },
    error: '=HYPERLINK("http://x")',
  },
  { seq: 1, at: '2026-01-01T00:00:00.000Z', kind: 'session-open', client: 'cursor' },
];

describe('exportText', () => {
  it('writes one JSON object per line', () => {
    const lines = exportText(records, 'jsonl').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual(records[0]);
  });

  it('writes CSV with the command line’s columns and defused formulas', () => {
    const text = exportText(records, 'csv');
    const [header, first] = text.split('\r\n');
    expect(header?.startsWith('seq,at,kind,client')).toBe(true);
    expect(first).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(first).toContain(`"{""message"":""a, \\""quoted\\"" value""}"`);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('names files with a sortable timestamp', () => {
    expect(exportFileName('csv', new Date('2026-01-02T03:04:05.678Z'))).toBe(
      'gatehouse-audit-2026-01-02T03-04-05Z.csv',
    );
  });
});
