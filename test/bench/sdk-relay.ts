// Child-process script: the "bare SDK relay" the benchmark compares Gatehouse with, built only from
// the official SDK (performance-and-reliability.md §2.4). Per downstream session: an SDK `Server` +
// `StreamableHTTPServerTransport` (JSON responses) facing the client, and its own SDK `Client` +
// `StreamableHTTPClientTransport` connected to the upstream. Handlers forward tools/list and tools/call.
// No auth, no policy, no idle reaping (the SDK has none).
//   usage: node test/bench/sdk-relay.ts <upstream-url>
// Prints `listening http://127.0.0.1:PORT/mcp` once ready; exits on SIGTERM/SIGINT.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  isInitializeRequest,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';

const upstreamUrl = new URL(process.argv[2] ?? '');
const sessions = new Map<string, StreamableHTTPServerTransport>();

function rpcError(res: ServerResponse, status: number, message: string): void {
  const text = JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Opens the upstream session first, then the downstream transport that forwards to it. */
async function openSession(): Promise<StreamableHTTPServerTransport> {
  const client = new Client({ name: 'bench-sdk-relay', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(upstreamUrl));
  const server = new Server({ name: 'bench-sdk-relay', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, (request) => client.listTools(request.params));
  server.setRequestHandler(CallToolRequestSchema, (request) => client.callTool(request.params));
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: randomUUID,
    enableJsonResponse: true,
    onsessioninitialized: (id) => void sessions.set(id, transport),
  });
  transport.onclose = () => {
    if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    void client.close();
  };
  await server.connect(transport);
  return transport;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/mcp') return rpcError(res, 404, 'Not Found');
  const id = req.headers['mcp-session-id'];
  const existing = typeof id === 'string' ? sessions.get(id) : undefined;
  if (typeof id === 'string' && !existing) return rpcError(res, 404, 'Session not found');
  if (req.method !== 'POST') {
    if (!existing) return rpcError(res, 400, 'Bad Request: Mcp-Session-Id header is required');
    return existing.handleRequest(req, res);
  }
  const body = await readJson(req);
  if (existing) return existing.handleRequest(req, res, body);
  if (!isInitializeRequest(body)) return rpcError(res, 400, 'Bad Request: Mcp-Session-Id header is required');
  const transport = await openSession();
  await transport.handleRequest(req, res, body);
}

const http = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (!res.headersSent) rpcError(res, 502, `Relay error: ${String(error)}`);
    else res.destroy();
  });
});
http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`listening http://127.0.0.1:${port}/mcp\n`);
});
const stop = (): void => process.exit(0);
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
