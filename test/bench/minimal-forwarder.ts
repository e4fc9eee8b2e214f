// Child-process script: the benchmark's "minimal Node forwarder (floor)" path. The least one extra
// Node HTTP hop can do: a node:http server that reads the request body and forwards it as is, with
// the MCP headers it received, over an undici Pool with keep-alive to the upstream, then sends the
// upstream's status, content-type, mcp-session-id and body back (a JSON answer in one write, an SSE
// answer streamed). No auth, no JSON parsing, no sessions of its own, no policy, no audit. Its added
// latency is the floor any gateway on this machine starts from (load generator, forwarder and
// upstream share the CPUs).
//   usage: node test/bench/minimal-forwarder.ts <upstream-url>
// Prints `listening http://127.0.0.1:PORT/mcp` once ready; exits on SIGTERM/SIGINT.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';
import { serveChild } from './http-child.ts';

const upstreamUrl = new URL(process.argv[2] ?? '');
const upstream = new Pool(upstreamUrl.origin, {
  pipelining: 1,
  keepAliveTimeout: 60_000,
  keepAliveMaxTimeout: 600_000,
});

/** Request headers passed on to the upstream (everything else, e.g. host, is left behind). */
const FORWARDED_REQUEST = ['mcp-session-id', 'mcp-protocol-version', 'content-type', 'accept'] as const;
/** Response headers passed back (content-length is set by `res.end`). */
const FORWARDED_RESPONSE = ['content-type', 'mcp-session-id'] as const;

/** A whole body (events, not an async iterator: the cheapest way, as Gatehouse's hot path does). */
function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const method = req.method === 'DELETE' ? 'DELETE' : req.method === 'GET' ? 'GET' : 'POST';
  const body = method === 'POST' ? await readAll(req) : undefined;
  const answer = await upstream.request({
    path: upstreamUrl.pathname,
    method,
    headers,
    ...(body ? { body } : {}),
  });
  const out: Record<string, string> = {};
  for (const name of FORWARDED_RESPONSE) {
    const value = answer.headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  if (out['content-type']?.startsWith('text/event-stream')) {
    res.writeHead(answer.statusCode, out); // a stream: passed on as it comes
    await pipeline(answer.body, res);
    return;
  }
  const data = await readAll(answer.body); // a single message: headers and body in one write
  res.writeHead(answer.statusCode, out);
  res.end(data);
}

serveChild(handle, { status: 502, label: 'Forwarder error' });
