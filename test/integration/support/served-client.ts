import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { runGatehouse, startServe, type ServeProcess } from './gatehouse-process.ts';

/**
 * A fresh data folder with one server and one client added by the `gatehouse` command, a running
 * `gatehouse serve` on it, and an MCP client (named "agent") connected through it to that server.
 */
export interface ServedClient {
  dataDir: string;
  serve: ServeProcess;
  /** The client token of "agent". */
  token: string;
  client: Client;
  /** Runs one `gatehouse` command against the data folder. */
  cli(...args: string[]): ReturnType<typeof runGatehouse>;
  /** Closes the client, stops the serving process and removes the data folder. */
  stop(): Promise<void>;
}

export async function startServedClient(options: {
  /** Prefix of the temporary data folder's name. */
  tmpPrefix: string;
  /** Name the upstream server is added under (the client connects to `/mcp/<server>`). */
  server: string;
  upstreamUrl: string;
}): Promise<ServedClient> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix));
  const cli = (...args: string[]) => runGatehouse([...args, '--data-dir', dataDir]);
  let serve: ServeProcess | undefined;
  let client: Client | undefined;
  const stop = async () => {
    await client?.close().catch(() => {});
    await serve?.stop('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    expect((await cli('server', 'add', options.server, options.upstreamUrl)).code).toBe(0);
    const token = /(ghc_[A-Za-z0-9_-]+)/.exec((await cli('client', 'add', 'agent')).stdout)![1]!;
    serve = await startServe(dataDir);
    client = new Client({ name: 'agent', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${serve.url}/mcp/${options.server}`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    return { dataDir, serve, token, client, cli, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
