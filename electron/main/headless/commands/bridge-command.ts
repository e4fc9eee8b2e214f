import type { Readable, Writable } from 'node:stream';
import type { ClientRecord } from '../../../../shared/schemas/clients.ts';
import { nullLogger } from '../../base/logger.ts';
import { ServiceError } from '../../services/service-error.ts';
import { clientTokenKey } from '../../store/client-tokens.ts';
import { DataFolderLock } from '../../store/data-lock.ts';
import { SecretUnavailableError, type SecretStore } from '../../store/secret-store.ts';
import { SettingsStore } from '../../store/settings-store.ts';
import { openSecrets, parse, UsageError, type CliIO } from '../cli-io.ts';
import { runBridge } from '../bridge-relay.ts';

export const BRIDGE_USAGE = 'gatehouse bridge <server>|--all [--client NAME]';

/**
 * `gatehouse bridge`: a stdio MCP server for clients that only launch local servers. It relays to the
 * running gateway (`/mcp/<server>`, or `/mcp` with --all) with the client's token, read from the data
 * folder's secret store — never from the command line, where other users' `ps` could see it. Nothing
 * but JSON-RPC is written to stdout; notes go to stderr. When the gateway is not running, every
 * request gets an MCP error saying so and the bridge keeps running: it reaches the gateway once it
 * starts (the client reconnects with a new initialize).
 */
export async function bridgeCommand(
  args: string[],
  dataDir: string,
  io: CliIO,
  streams: { stdin: Readable; stdout: Writable } = { stdin: process.stdin, stdout: process.stdout },
): Promise<number> {
  const { values, positionals } = parse(
    args,
    { all: { type: 'boolean' }, client: { type: 'string' } },
    BRIDGE_USAGE,
    { min: 0, max: 1 },
  );
  const server = positionals[0];
  if ((server === undefined) === (values.all !== true)) {
    throw new UsageError('name one server, or --all for every server the client may use', BRIDGE_USAGE);
  }
  const store = new SettingsStore({ dataDir, logger: nullLogger });
  const settings = store.current;
  store.dispose();
  if (server !== undefined && !settings.servers.some((s) => s.name === server)) {
    throw new ServiceError(`no server named "${server}" in ${dataDir} (see \`gatehouse server list\`)`);
  }
  const secrets = openSecrets(dataDir, io);
  const client = chooseClient(settings.clients, values.client, secrets, dataDir);
  const token = readToken(secrets, client);
  const endpoint = () => {
    const holder = new DataFolderLock(dataDir).readHolder();
    const base = holder?.url ?? `http://127.0.0.1:${settings.gateway.port}`;
    return new URL(server !== undefined ? `/mcp/${encodeURIComponent(server)}` : '/mcp', base);
  };
  const notRunningHelp = `Start Gatehouse (the desktop app, or \`gatehouse serve --data-dir ${dataDir}\`), then reconnect this MCP server in your client.`;
  if (!new DataFolderLock(dataDir).readLiveHolder()) {
    io.err(
      `gatehouse bridge: Gatehouse is not running for ${dataDir}; requests fail until it runs. ${notRunningHelp}`,
    );
  }
  await runBridge({
    endpoint,
    token,
    stdin: streams.stdin,
    stdout: streams.stdout,
    note: (line) => io.err(line),
    notRunningHelp,
  });
  return 0;
}

/** The named client, or the only one with a stored token; anything else is a clear error. */
function chooseClient(
  clients: ClientRecord[],
  name: string | undefined,
  secrets: SecretStore,
  dataDir: string,
): string {
  const active = clients.filter((c) => !c.revokedAt);
  if (name !== undefined) {
    if (!active.some((c) => c.name === name)) {
      throw new ServiceError(
        `no active client named "${name}" in ${dataDir} (see \`gatehouse client list\`)`,
      );
    }
    return name;
  }
  const stored = active.filter((c) => hasToken(secrets, c.name)).map((c) => c.name);
  if (stored.length === 1) return stored[0]!;
  throw new ServiceError(
    stored.length === 0
      ? `no client token is stored in ${dataDir}: create a client (\`gatehouse client add <name>\`) or connect one from Gatehouse, then run the bridge with --client <name>`
      : `several clients have tokens (${stored.join(', ')}): choose one with --client <name>`,
  );
}

function hasToken(secrets: SecretStore, client: string): boolean {
  try {
    return secrets.get(clientTokenKey(client)) !== undefined;
  } catch (error) {
    if (error instanceof SecretUnavailableError) return true; // exists; readToken explains
    throw error;
  }
}

function readToken(secrets: SecretStore, client: string): string {
  let token: string | undefined;
  try {
    token = secrets.get(clientTokenKey(client));
  } catch (error) {
    if (error instanceof SecretUnavailableError) {
      throw new ServiceError(
        `the token of client "${client}" is encrypted with the desktop app's keychain and cannot be read here: ${error.message}`,
      );
    }
    throw error;
  }
  if (token === undefined) {
    throw new ServiceError(
      `no token is stored for client "${client}" (clients created before tokens were kept need a new one: revoke it and add it again)`,
    );
  }
  return token;
}
