import { clientKinds, clientKindSchema, type ClientKind } from '../../../../shared/schemas/connections.ts';
import type { GatewayServices } from '../../services/gateway-services.ts';
import { parse, printList, UsageError, type CliIO } from '../cli-io.ts';

export const CONNECT_USAGE = [
  'gatehouse connect <client-kind> [--servers a,b] [--dry-run]',
  'gatehouse disconnect <client-kind>',
  'gatehouse clients detect [--json]',
  'gatehouse clients adopt <client-kind> <entry>...',
].join('\n       ');

const KINDS = `client kinds: ${clientKinds.join(', ')}`;

function kindOf(value: string | undefined): ClientKind {
  const parsed = clientKindSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`unknown client kind "${value}"; ${KINDS}`, CONNECT_USAGE);
  return parsed.data;
}

function printDiff(io: CliIO, diff: string): void {
  for (const line of diff.replace(/\n$/, '').split('\n')) io.out(line);
}

/**
 * `gatehouse connect <client-kind>`: points a local client's own config file at the gateway (a preview
 * with --dry-run). The config is written atomically with a timestamped backup next to it.
 */
export async function connectCommand(args: string[], services: GatewayServices, io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    args,
    { servers: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    CONNECT_USAGE,
    { min: 1, max: 1 },
  );
  const kind = kindOf(positionals[0]);
  const servers = values.servers
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (values.servers !== undefined && servers?.length === 0)
    throw new UsageError('--servers needs names', CONNECT_USAGE);
  const input = { kind, ...(servers ? { servers } : {}) };
  if (values['dry-run']) {
    const preview = await services['clients.preview'](input);
    if (!preview.diff) io.out(`${preview.configPath} already points at Gatehouse; nothing to change.`);
    else printDiff(io, preview.diff);
    return 0;
  }
  const result = await services['clients.connect'](input);
  if (!result.diff) {
    io.out(`${result.configPath} already points at Gatehouse; nothing changed.`);
    return 0;
  }
  printDiff(io, result.diff);
  io.out('');
  io.out(`Wrote ${result.configPath} (client "${result.clientName}").`);
  if (result.backupPath) io.out(`The file as it was is saved at ${result.backupPath}.`);
  io.out(`Restart the client to pick it up. Undo with: gatehouse disconnect ${kind}`);
  return 0;
}

/** `gatehouse disconnect <client-kind>`: undoes connect (and adopt). */
export async function disconnectCommand(
  args: string[],
  services: GatewayServices,
  io: CliIO,
): Promise<number> {
  const { positionals } = parse(args, {}, CONNECT_USAGE, { min: 1, max: 1 });
  const result = await services['clients.disconnect']({ kind: kindOf(positionals[0]) });
  const message = {
    backup: `Restored ${result.configPath} exactly as it was before Gatehouse wrote to it.`,
    'entries-removed': `${result.configPath} had changed since Gatehouse wrote it, so only Gatehouse's entries were removed (a backup is next to it).`,
    nothing: `${result.configPath} has no Gatehouse entries; nothing to undo.`,
  }[result.restored];
  io.out(message);
  return 0;
}

/**
 * `gatehouse clients ...`: the MCP client apps on this machine and their config files. (The client
 * records and tokens themselves are `gatehouse client ...`.)
 */
export async function clientsCommand(args: string[], services: GatewayServices, io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'detect': {
      const { values } = parse(rest, { json: { type: 'boolean' } }, CONNECT_USAGE, { min: 0, max: 0 });
      const detected = await services['clients.detect']();
      printList(io, detected, {
        json: values.json,
        empty: 'No clients.',
        header: ['KIND', 'INSTALLED', 'THROUGH GATEHOUSE', 'ADOPTABLE', 'CONFIG'],
        row: (c) => [
          c.kind,
          c.installed ? 'yes' : 'no',
          c.problem ? 'problem (see below)' : c.connectedServers.join(',') || '-',
          c.adoptable.map((a) => a.entry).join(',') || '-',
          c.configPath + (c.configExists ? '' : ' (absent)'),
        ],
      });
      if (!values.json) for (const c of detected) if (c.problem) io.out(`${c.kind}: ${c.problem}`);
      return 0;
    }
    case 'adopt': {
      const { positionals } = parse(rest, {}, CONNECT_USAGE, { min: 2, max: 64 });
      const kind = kindOf(positionals[0]);
      const result = await services['clients.adopt']({ kind, entries: positionals.slice(1) });
      if (result.connect.diff) printDiff(io, result.connect.diff);
      io.out('');
      if (result.added.length > 0) io.out(`Added servers: ${result.added.join(', ')}.`);
      io.out(`${result.connect.configPath} now reaches them through Gatehouse.`);
      if (result.connect.backupPath) io.out(`The file as it was is saved at ${result.connect.backupPath}.`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown command "clients ${sub}"` : 'missing command', CONNECT_USAGE);
  }
}
