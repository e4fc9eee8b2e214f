// Child-process script: the upstream every benchmark path talks to. An SDK McpServer with one `echo`
// tool, stateful Streamable HTTP sessions and JSON responses (`enableJsonResponse`), on 127.0.0.1.
//   POST/GET/DELETE /mcp   the MCP endpoint (a session ends when its DELETE arrives)
//   GET /stats             {"liveSessions": n, "byClient": {"<clientInfo.name>": n}}
// Prints `listening http://127.0.0.1:PORT/mcp` once ready; exits on SIGTERM/SIGINT.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { jsonSessionTransport, routeMcpSession, rpcError, sendJson, serveChild } from './http-child.ts';

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

function stats(): { liveSessions: number; byClient: Record<string, number> } {
  const byClient: Record<string, number> = {};
  for (const { server } of sessions.values()) {
    const name = server.server.getClientVersion()?.name ?? 'unknown';
    byClient[name] = (byClient[name] ?? 0) + 1;
  }
  return { liveSessions: sessions.size, byClient };
}

/** Opens a session: a fresh server connected to a fresh transport. */
async function openSession(): Promise<StreamableHTTPServerTransport> {
  const server = newServer();
  const transport = jsonSessionTransport(
    (sessionId, transport) => void sessions.set(sessionId, { transport, server }),
    (sessionId) => {
      if (sessionId !== undefined) sessions.delete(sessionId);
    },
  );
  await server.connect(transport);
  return transport;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  if (path === '/stats' && req.method === 'GET') return sendJson(res, 200, stats());
  if (path !== '/mcp') return rpcError(res, 404, 'Not Found');
  return routeMcpSession(req, res, (id) => sessions.get(id)?.transport, openSession);
}

serveChild(handle, { status: 500, label: 'Internal error' });
