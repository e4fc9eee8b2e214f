// Child-process script: the "bare SDK relay" the benchmark compares Gatehouse with, built only from
// the official SDK (performance-and-reliability.md §2.4). Per downstream session: an SDK `Server` +
// `StreamableHTTPServerTransport` (JSON responses) facing the client, and its own SDK `Client` +
// `StreamableHTTPClientTransport` connected to the upstream. Handlers forward tools/list and tools/call.
// No auth, no policy, no idle reaping (the SDK has none).
//   usage: node test/bench/sdk-relay.ts <upstream-url>
// Prints `listening http://127.0.0.1:PORT/mcp` once ready; exits on SIGTERM/SIGINT.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { jsonSessionTransport, routeMcpSession, rpcError, serveChild } from './http-child.ts';

const upstreamUrl = new URL(process.argv[2] ?? '');
const sessions = new Map<string, StreamableHTTPServerTransport>();

/** Opens the upstream session first, then the downstream transport that forwards to it. */
async function openSession(): Promise<StreamableHTTPServerTransport> {
  const client = new Client({ name: 'bench-sdk-relay', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(upstreamUrl));
  const server = new Server({ name: 'bench-sdk-relay', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, (request) => client.listTools(request.params));
  server.setRequestHandler(CallToolRequestSchema, (request) => client.callTool(request.params));
  const transport = jsonSessionTransport(
    (id, transport) => void sessions.set(id, transport),
    (id) => {
      if (id !== undefined) sessions.delete(id);
      void client.close();
    },
  );
  await server.connect(transport);
  return transport;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/mcp') return rpcError(res, 404, 'Not Found');
  return routeMcpSession(req, res, (id) => sessions.get(id), openSession);
}

serveChild(handle, { status: 502, label: 'Relay error' });
