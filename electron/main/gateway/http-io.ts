import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorResponse, type JsonRpcMessage } from '../base/json-rpc.ts';
import type { Refusal } from './request-guards.ts';
import { joinChunks } from './upstream/http-client.ts';

/** Sends an HTTP refusal with a JSON-RPC error body (id null), the form MCP clients display. */
export function refuse(
  res: ServerResponse,
  refusal: Refusal,
  code = -32000,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeJson(res, refusal.status, errorResponse(null, code, refusal.message), headers);
}

export class BodyTooLargeError extends Error {}

/** Reads a request body up to `limit` bytes; larger bodies are refused without reading them whole. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(joinChunks(chunks, size)));
    req.on('error', reject);
  });
}

/** Writes one JSON body with the right headers. */
export function writeJson(
  res: ServerResponse,
  status: number,
  body: JsonRpcMessage | object,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Binds `server` to 127.0.0.1 only, exclusively (a taken port is an error, never shared or replaced);
 * resolves with the bound port (`port` 0: one the OS chose).
 */
export async function listenOnLoopback(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
