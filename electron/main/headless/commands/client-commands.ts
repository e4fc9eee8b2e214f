import type { GatewayServices } from '../../services/gateway-services.ts';
import { parse, printList, UsageError, type CliIO } from '../cli-io.ts';

export const CLIENT_USAGE = [
  'gatehouse client add <name>',
  'gatehouse client list [--json]',
  'gatehouse client revoke <name>',
  'gatehouse client access <name> [--servers a,b | --all-servers] [--tools GLOB,... | --all-tools]',
].join('\n       ');

/** `gatehouse client ...`: the local clients allowed to use the gateway, each with its own token. */
export async function clientCommand(args: string[], services: GatewayServices, io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      const { positionals } = parse(rest, {}, CLIENT_USAGE, { min: 1, max: 1 });
      const { name, token } = await services['clients.add']({ name: positionals[0]! });
      io.out(`Created client "${name}". Its token (shown only this once; settings keep only a hash):`);
      io.out('');
      io.out(`  ${token}`);
      io.out('');
      io.out(
        `Send it as "Authorization: Bearer ${token.slice(0, 8)}…" to http://127.0.0.1:<port>/mcp/<server>.`,
      );
      return 0;
    }
    case 'list': {
      const { values } = parse(rest, { json: { type: 'boolean' } }, CLIENT_USAGE, { min: 0, max: 0 });
      const clients = await services['clients.list']();
      return printList(io, clients, {
        json: values.json,
        empty: 'No clients yet. Create one with: gatehouse client add <name>',
        header: ['NAME', 'STATE', 'CREATED', 'SESSIONS', 'SERVERS', 'TOOLS'],
        row: (c) => [
          c.name,
          c.active ? 'active' : `revoked ${c.revokedAt}`,
          c.createdAt,
          String(c.liveSessions),
          c.servers ? c.servers.join(',') || '(none)' : 'all',
          c.toolFilter ? c.toolFilter.join(',') : 'all',
        ],
      });
    }
    case 'revoke': {
      const { positionals } = parse(rest, {}, CLIENT_USAGE, { min: 1, max: 1 });
      await services['clients.revoke']({ name: positionals[0]! });
      io.out(`Revoked client "${positionals[0]}": its token no longer works and its sessions are closed.`);
      return 0;
    }
    case 'access': {
      const { positionals, values } = parse(
        rest,
        {
          servers: { type: 'string' },
          'all-servers': { type: 'boolean' },
          tools: { type: 'string' },
          'all-tools': { type: 'boolean' },
        },
        CLIENT_USAGE,
        { min: 1, max: 1 },
      );
      if (values.servers !== undefined && values['all-servers']) {
        throw new UsageError('use --servers or --all-servers, not both', CLIENT_USAGE);
      }
      if (values.tools !== undefined && values['all-tools']) {
        throw new UsageError('use --tools or --all-tools, not both', CLIENT_USAGE);
      }
      const list = (text: string) =>
        text
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean);
      const client = await services['clients.update']({
        name: positionals[0]!,
        ...(values.servers !== undefined ? { servers: list(values.servers) } : {}),
        ...(values['all-servers'] ? { servers: null } : {}),
        ...(values.tools !== undefined ? { toolFilter: list(values.tools) } : {}),
        ...(values['all-tools'] ? { toolFilter: null } : {}),
      });
      io.out(
        `Client "${client.name}" reaches ${client.servers ? client.servers.join(', ') || 'no server' : 'every server'}` +
          ` and sees ${client.toolFilter ? `the tools matching ${client.toolFilter.join(', ')}` : 'every tool'}.`,
      );
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown command "client ${sub}"` : 'missing command', CLIENT_USAGE);
  }
}
