// Shared plumbing of the benchmark's child-process HTTP servers (echo upstream, SDK relay, minimal
// forwarder): JSON-RPC errors, body reading, stateful Streamable HTTP session routing and the
// listen / `listening <url>` / exit-on-signal lifecycle.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

/** Writes a JSON body with an explicit content-length. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Writes a JSON-RPC error (code -32000, id null). */
export function rpcError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null });
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A new session's server transport (JSON responses, random session ids): `onOpen` runs once the
 * session has its id, `onClose` when the transport closes (with its id, if it got one).
 */
export function jsonSessionTransport(
  onOpen: (sessionId: string, transport: StreamableHTTPServerTransport) => void,
  onClose: (sessionId: string | undefined) => void,
): StreamableHTTPServerTransport {
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: randomUUID,
    enableJsonResponse: true,
    onsessioninitialized: (sessionId) => onOpen(sessionId, transport),
  });
  transport.onclose = () => onClose(transport.sessionId);
  return transport;
}

/**
 * Routes one request at the MCP endpoint: to the transport of its `Mcp-Session-Id`, or, for an
 * initialize POST without one, to a session `openSession` opens; anything else is a JSON-RPC error.
 */
export async function routeMcpSession(
  req: IncomingMessage,
  res: ServerResponse,
  transportOf: (sessionId: string) => StreamableHTTPServerTransport | undefined,
  openSession: () => Promise<StreamableHTTPServerTransport>,
): Promise<void> {
  const id = req.headers['mcp-session-id'];
  const existing = typeof id === 'string' ? transportOf(id) : undefined;
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

/**
 * Serves `handle` on 127.0.0.1 (a free port, keep-alive 60 s), prints `listening <url>/mcp` once
 * ready and exits on SIGTERM/SIGINT. A failed request is answered `failure.status` with
 * `<failure.label>: <error>` (or its socket destroyed when the answer has already started).
 */
export function serveChild(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  failure: { status: number; label: string },
): void {
  const http = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) rpcError(res, failure.status, `${failure.label}: ${String(error)}`);
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
}
