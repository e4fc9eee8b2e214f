import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { createLogger, type LogLevel } from '../../../electron/main/base/logger.ts';
import { createCore, type Core, type CoreOptions } from '../../../electron/main/services/create-core.ts';

/** A real gateway (the whole core graph) on 127.0.0.1 with a temporary data folder. */
export interface GatewayHarness {
  core: Core;
  url: string;
  port: number;
  dataDir: string;
  /** Log lines written by the gateway, for asserting what is (and is not) logged. */
  logs: string[];
  addServer(name: string, url: string, headers?: Record<string, string>): Promise<void>;
  addClient(name: string): Promise<string>;
  /** An SDK client connected to `/mcp/<server>` with a client token. */
  connect(
    server: string,
    token: string,
    capabilities?: ClientCapabilities,
  ): Promise<{ client: Client; transport: StreamableHTTPClientTransport }>;
  /**
   * An SDK client connected to the aggregated endpoint `/mcp`; `setup` runs before it connects (for
   * handlers of notifications that may come at once).
   */
  connectAggregate(
    token: string,
    options?: { capabilities?: ClientCapabilities; setup?: (client: Client) => void },
  ): Promise<{ client: Client; transport: StreamableHTTPClientTransport }>;
  stop(): Promise<void>;
}

export async function startGateway(
  options: {
    settings?: (dataDir: string) => void;
    level?: LogLevel;
    core?: Partial<CoreOptions>;
    /** Adds a rule allowing every call, for tests of the relay itself rather than of policy. */
    allowAll?: boolean;
    /** Reuse a data folder (a restart); it is then left in place on stop. */
    dataDir?: string;
  } = {},
): Promise<GatewayHarness> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
  options.settings?.(dataDir);
  const logs: string[] = [];
  const logger = createLogger({
    level: options.level ?? 'debug',
    sink: { write: (line) => logs.push(line) },
  });
  const core = createCore({ dataDir, logger, port: 0, ...options.core });
  const { url, port } = await core.start();
  if (options.allowAll)
    await core.services['policy.add']({ action: 'allow', note: 'relay tests: allow everything', args: [] });
  const clients: Client[] = [];
  const open = async (
    path: string,
    token: string,
    capabilities: ClientCapabilities,
    setup?: (client: Client) => void,
  ) => {
    const transport = new StreamableHTTPClientTransport(new URL(`${url}${path}`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    const client = new Client({ name: 'gatehouse-test', version: '1.0.0' }, { capabilities });
    setup?.(client);
    await client.connect(transport);
    clients.push(client);
    return { client, transport };
  };
  return {
    core,
    url,
    port,
    dataDir,
    logs,
    async addServer(name, serverUrl, headers = {}) {
      await core.services['servers.add']({
        name,
        url: serverUrl,
        headers,
        trusted: true,
        allowInsecureHttp: false,
      });
    },
    async addClient(name) {
      return (await core.services['clients.add']({ name })).token;
    },
    connect(server, token, capabilities = {}) {
      return open(`/mcp/${server}`, token, capabilities);
    },
    connectAggregate(token, { capabilities = {}, setup } = {}) {
      return open('/mcp', token, capabilities, setup);
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await core.stop();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
