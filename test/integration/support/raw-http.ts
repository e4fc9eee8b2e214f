import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json(): unknown;
}

/**
 * A raw HTTP request with full control of headers (Host, duplicate headers, odd content types),
 * which fetch does not allow. `headers` may be an array of [name, value] pairs to repeat a header.
 */
export function rawRequest(
  port: number,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string> | [string, string][];
    body?: string | Buffer;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers = Array.isArray(options.headers) ? options.headers.flat() : options.headers;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path ?? '/',
        headers: headers as http.OutgoingHttpHeaders,
        setHost: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body) as unknown,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Standard headers of a well-formed MCP POST to the gateway. */
export function mcpHeaders(
  port: number,
  token: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    host: `127.0.0.1:${port}`,
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...extra,
  };
}

export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
