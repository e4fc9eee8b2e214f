import type { GatewayServices } from '../../services/gateway-services.ts';
import { parse, printList, UsageError, type CliIO } from '../cli-io.ts';

export const CLIENT_USAGE = [
  'gatehouse client add <name>',
  'gatehouse client list [--json]',
  'gatehouse client revoke <name>',
].join('\n       ');

/** `gatehouse client ...`: the local clients allowed to use the gateway, each with its own token. */
export async function clientCommand(args: string[], services: GatewayServices, io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      const { positionals } = parse(rest, {}, CLIENT_USAGE, { min: 1, max: 1 });
      const { name, token } = await services['clients.add']({ name: positionals[0]! });
      io.out(`Created client "${name}". Its token (shown only this once; Gatehouse keeps only a hash):`);
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
        header: ['NAME', 'STATE', 'CREATED', 'SESSIONS'],
        row: (c) => [
          c.name,
          c.active ? 'active' : `revoked ${c.revokedAt}`,
          c.createdAt,
          String(c.liveSessions),
        ],
      });
    }
    case 'revoke': {
      const { positionals } = parse(rest, {}, CLIENT_USAGE, { min: 1, max: 1 });
      await services['clients.revoke']({ name: positionals[0]! });
      io.out(`Revoked client "${positionals[0]}": its token no longer works and its sessions are closed.`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown command "client ${sub}"` : 'missing command', CLIENT_USAGE);
  }
}
