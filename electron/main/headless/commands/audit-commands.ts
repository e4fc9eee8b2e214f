import fs from 'node:fs';
import {
  auditQuerySchema,
  type AuditQueryInput,
  type AuditRecord,
} from '../../../../shared/schemas/audit.ts';
import { AuditReader } from '../../audit/audit-reader.ts';
import { auditFile } from '../../services/create-core.ts';
import { ServiceError } from '../../services/service-error.ts';
import { parse, table, UsageError, type CliIO } from '../cli-io.ts';
import { parseDurationMinutes } from '../duration.ts';

export const AUDIT_USAGE = [
  'gatehouse audit [--json] [--since DURATION] [--server S] [--tool T] [--client C] [--decision D]',
  '                [--outcome O] [--text T] [--limit N]',
  'gatehouse audit export --format jsonl|csv [--out FILE] [same filters]',
  'gatehouse audit verify',
].join('\n       ');

const FILTERS = {
  since: { type: 'string' },
  server: { type: 'string' },
  tool: { type: 'string' },
  client: { type: 'string' },
  decision: { type: 'string' },
  outcome: { type: 'string' },
  text: { type: 'string' },
} as const;

/**
 * `gatehouse audit ...`: reads the audit log read-only, so it is safe while Gatehouse serves (it never
 * runs crash recovery or appends to the chain of the serving process).
 */
export async function auditCommand(args: string[], dataDir: string, io: CliIO): Promise<number> {
  const [first, ...rest] = args;
  const sub = first === 'export' || first === 'verify' ? first : 'list';
  const argv = sub === 'list' ? args : rest;
  const file = auditFile(dataDir);
  if (!fs.existsSync(file))
    throw new ServiceError(`there is no audit log in ${dataDir} yet (it starts with \`gatehouse serve\`)`);
  switch (sub) {
    case 'verify': {
      parse(argv, {}, AUDIT_USAGE, { min: 0, max: 0 });
      const result = withReader(file, (reader) => reader.verify());
      if (result.ok) {
        io.out(`The audit log is intact: ${result.checked} records checked.`);
        return 0;
      }
      io.out(`The audit log is BROKEN at record ${result.firstBroken?.seq}: ${result.firstBroken?.reason}`);
      return 1;
    }
    case 'export': {
      const { values } = parse(
        argv,
        { ...FILTERS, format: { type: 'string' }, out: { type: 'string' } },
        AUDIT_USAGE,
        {
          min: 0,
          max: 0,
        },
      );
      if (values.format !== 'jsonl' && values.format !== 'csv')
        throw new UsageError('--format must be jsonl or csv', AUDIT_USAGE);
      const format = values.format;
      const query = filters(values, 1000);
      const fd = values.out ? fs.openSync(values.out, 'w', 0o600) : undefined;
      try {
        const count = withReader(file, (reader) =>
          reader.export(query, format, (chunk) =>
            fd === undefined ? process.stdout.write(chunk) : fs.writeSync(fd, chunk),
          ),
        );
        if (values.out) io.out(`Exported ${count} records to ${values.out}.`);
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
      return 0;
    }
    default: {
      const { values } = parse(
        argv,
        { ...FILTERS, json: { type: 'boolean' }, limit: { type: 'string' } },
        AUDIT_USAGE,
        {
          min: 0,
          max: 0,
        },
      );
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new UsageError('--limit must be 1-1000', AUDIT_USAGE);
      const page = withReader(file, (reader) => reader.query(filters(values, limit)));
      if (values.json) {
        io.out(JSON.stringify(page.records, null, 2));
        return 0;
      }
      if (page.records.length === 0) {
        io.out('No audited calls match.');
        return 0;
      }
      table(
        io,
        ['TIME', 'CLIENT', 'SERVER', 'TOOL', 'DECISION', 'ANSWER', 'OUTCOME', 'MS'],
        page.records.map(row),
      );
      return 0;
    }
  }
}

function row(r: AuditRecord): string[] {
  return [
    r.at,
    r.client ?? '',
    r.server ?? '',
    r.tool ?? '',
    r.decision ?? '',
    r.approvalAnswer ?? '',
    r.outcome ?? '',
    r.durationMs === null || r.durationMs === undefined ? '' : String(r.durationMs),
  ];
}

function filters(values: Partial<Record<keyof typeof FILTERS, string>>, limit: number): AuditQueryInput {
  let since: string | undefined;
  if (values.since !== undefined) {
    const minutes = parseDurationMinutes(values.since);
    if (!minutes)
      throw new UsageError(`--since "${values.since}" is not a duration like 30m, 2h or 7d`, AUDIT_USAGE);
    since = new Date(Date.now() - minutes * 60_000).toISOString();
  }
  const query = {
    limit,
    ...(since ? { since } : {}),
    ...(values.server ? { server: values.server } : {}),
    ...(values.tool ? { tool: values.tool } : {}),
    ...(values.client ? { client: values.client } : {}),
    ...(values.decision ? { decision: values.decision } : {}),
    ...(values.outcome ? { outcome: values.outcome } : {}),
    ...(values.text ? { text: values.text } : {}),
  };
  const checked = auditQuerySchema.safeParse(query);
  if (!checked.success)
    throw new UsageError(
      checked.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '),
      AUDIT_USAGE,
    );
  return query as AuditQueryInput;
}

function withReader<T>(file: string, fn: (reader: AuditReader) => T): T {
  const reader = AuditReader.open({ file });
  try {
    return fn(reader);
  } finally {
    reader.close();
  }
}
