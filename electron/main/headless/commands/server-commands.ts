import type { GatewayServices } from '../../services/gateway-services.ts';
import { parse, printList, UsageError, type CliIO } from '../cli-io.ts';

export const SERVER_USAGE = [
  'gatehouse server add <name> <url> [--header "K: V"]... [--untrusted] [--allow-insecure-http]',
  '                     [--on-tool-change hold|ask|allow-notify]',
  'gatehouse server list [--json]',
  'gatehouse server remove <name>',
  'gatehouse server enable|disable <name>',
].join('\n       ');

/** `gatehouse server ...`: manage the remote servers the gateway relays to. */
export async function serverCommand(args: string[], services: GatewayServices, io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      const { values, positionals } = parse(
        rest,
        {
          header: { type: 'string', multiple: true },
          untrusted: { type: 'boolean' },
          'allow-insecure-http': { type: 'boolean' },
          'on-tool-change': { type: 'string' },
        },
        SERVER_USAGE,
        { min: 2, max: 2 },
      );
      const headers: Record<string, string> = {};
      for (const raw of values.header ?? []) {
        const colon = raw.indexOf(':');
        if (colon <= 0) throw new UsageError(`--header must look like "Name: value"`, SERVER_USAGE);
        headers[raw.slice(0, colon).trim()] = raw.slice(colon + 1).trim();
      }
      const view = await services['servers.add']({
        name: positionals[0]!,
        url: positionals[1]!,
        headers,
        trusted: !values.untrusted,
        allowInsecureHttp: values['allow-insecure-http'] ?? false,
        ...(values['on-tool-change'] ? { onToolChange: toolChangeMode(values['on-tool-change']) } : {}),
      });
      io.out(`Added server "${view.name}" (${view.url}).`);
      if (view.headerNames.length > 0)
        io.out(`Stored ${view.headerNames.length} secret header(s): ${view.headerNames.join(', ')}.`);
      io.out(`Clients reach it at <gateway>${view.endpoint}.`);
      return 0;
    }
    case 'list': {
      const { values } = parse(rest, { json: { type: 'boolean' } }, SERVER_USAGE, { min: 0, max: 0 });
      const servers = await services['servers.list']();
      return printList(io, servers, {
        json: values.json,
        empty: 'No servers yet. Add one with: gatehouse server add <name> <url>',
        header: ['NAME', 'URL', 'ENABLED', 'TRUSTED', 'HEADERS', 'STATUS'],
        row: (s) => [
          s.name,
          s.url,
          s.enabled ? 'yes' : 'no',
          s.trusted ? 'yes' : 'no',
          s.headerNames.join(',') || '-',
          s.status + (s.lastError ? ` (${s.lastError})` : ''),
        ],
      });
    }
    case 'remove': {
      const { positionals } = parse(rest, {}, SERVER_USAGE, { min: 1, max: 1 });
      await services['servers.remove']({ name: positionals[0]! });
      io.out(`Removed server "${positionals[0]}" and its secrets.`);
      return 0;
    }
    case 'enable':
    case 'disable': {
      const { positionals } = parse(rest, {}, SERVER_USAGE, { min: 1, max: 1 });
      await services['servers.setEnabled']({ name: positionals[0]!, enabled: sub === 'enable' });
      io.out(`Server "${positionals[0]}" ${sub}d.`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown command "server ${sub}"` : 'missing command', SERVER_USAGE);
  }
}

function toolChangeMode(value: string): 'hold' | 'ask' | 'allow-notify' {
  if (value === 'hold' || value === 'ask' || value === 'allow-notify') return value;
  throw new UsageError('--on-tool-change must be hold, ask or allow-notify', SERVER_USAGE);
}
