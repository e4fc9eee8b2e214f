import type { GatewayServices } from '../../services/gateway-services.ts';
import { parse, printList, UsageError, type CliIO } from '../cli-io.ts';

export const SERVER_USAGE = [
  'gatehouse server add <name> <url> [--header "K: V"]... [--untrusted] [--allow-insecure-http]',
  '                     [--on-tool-change hold|ask|allow-notify]',
  '                     [--client-id ID] [--client-secret-stdin] [--client-metadata-url URL]',
  '                     [--scope S]... [--auth-param K=V]... [--allow-missing-s256]',
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
          'client-id': { type: 'string' },
          'client-secret-stdin': { type: 'boolean' },
          'client-metadata-url': { type: 'string' },
          scope: { type: 'string', multiple: true },
          'auth-param': { type: 'string', multiple: true },
          'allow-missing-s256': { type: 'boolean' },
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
      const authParams: Record<string, string> = {};
      for (const raw of values['auth-param'] ?? []) {
        const eq = raw.indexOf('=');
        if (eq <= 0) throw new UsageError('--auth-param must look like key=value', SERVER_USAGE);
        authParams[raw.slice(0, eq)] = raw.slice(eq + 1);
      }
      if (values['client-secret-stdin'] && !values['client-id']) {
        throw new UsageError('--client-secret-stdin needs --client-id', SERVER_USAGE);
      }
      // Read from stdin, never from the command line: arguments show up in `ps` and shell history.
      const clientSecret = values['client-secret-stdin'] ? await readSecretFromStdin() : undefined;
      const view = await services['servers.add']({
        name: positionals[0]!,
        url: positionals[1]!,
        headers,
        trusted: !values.untrusted,
        allowInsecureHttp: values['allow-insecure-http'] ?? false,
        ...(values['on-tool-change'] ? { onToolChange: toolChangeMode(values['on-tool-change']) } : {}),
        auth: {
          ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
          ...(values['client-metadata-url'] ? { clientMetadataUrl: values['client-metadata-url'] } : {}),
          scopes: values.scope ?? [],
          authParams,
          allowMissingS256: values['allow-missing-s256'] ?? false,
        },
        ...(clientSecret ? { clientSecret } : {}),
      });
      io.out(`Added server "${view.name}" (${view.url}).`);
      if (view.headerNames.length > 0)
        io.out(`Stored ${view.headerNames.length} secret header(s): ${view.headerNames.join(', ')}.`);
      if (view.auth.clientId) {
        io.out(`OAuth client id: ${view.auth.clientId}${clientSecret ? ' (client secret stored)' : ''}.`);
      }
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

/** Reads a secret from standard input (one line, or everything when piped), trimmed. */
async function readSecretFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const secret = Buffer.concat(chunks).toString('utf8').trim();
  if (secret === '') throw new UsageError('--client-secret-stdin: nothing was read from stdin', SERVER_USAGE);
  return secret;
}
