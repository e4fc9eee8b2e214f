// Child-process script: the upstream every benchmark path talks to. An SDK McpServer with one `echo`
// tool, stateful Streamable HTTP sessions and JSON responses (`enableJsonResponse`), on 127.0.0.1.
//   POST/GET/DELETE /mcp   the MCP endpoint (a session ends when its DELETE arrives)
//   GET /stats             {"liveSessions": n, "byClient": {"<clientInfo.name>": n}}
// Prints `listening http://127.0.0.1:PORT/mcp` once ready; exits on SIGTERM/SIGINT.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
}

const sessions = new Map<string, Session>();

function newServer(): McpServer {
  const server = new McpServer(
    { name: 'gatehouse-bench-echo', version: '1.0.0' },
    { capabilities: { tools: {} } },
  );
  server.registerTool(
    'echo',
    { description: 'Returns its text argument', inputSchema: { text: z.string() } },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function rpcError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function stats(): { liveSessions: number; byClient: Record<string, number> } {
  const byClient: Record<string, number> = {};
  for (const { server } of sessions.values()) {
    const name = server.server.getClientVersion()?.name ?? 'unknown';
    byClient[name] = (byClient[name] ?? 0) + 1;
  }
  return { liveSessions: sessions.size, byClient };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  if (path === '/stats' && req.method === 'GET') return sendJson(res, 200, stats());
  if (path !== '/mcp') return rpcError(res, 404, 'Not Found');
  const id = req.headers['mcp-session-id'];
  const existing = typeof id === 'string' ? sessions.get(id) : undefined;
  if (typeof id === 'string' && !existing) return rpcError(res, 404, 'Session not found');
  if (req.method !== 'POST') {
    if (!existing) return rpcError(res, 400, 'Bad Request: Mcp-Session-Id header is required');
    return existing.transport.handleRequest(req, res);
  }
  const body = await readJson(req);
  if (existing) return existing.transport.handleRequest(req, res, body);
  if (!isInitializeRequest(body)) return rpcError(res, 400, 'Bad Request: Mcp-Session-Id header is required');
  const server = newServer();
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: randomUUID,
    enableJsonResponse: true,
    onsessioninitialized: (sessionId) => void sessions.set(sessionId, { transport, server }),
  });
  transport.onclose = () => {
    if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
  };
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

const http = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (!res.headersSent) rpcError(res, 500, `Internal error: ${String(error)}`);
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
