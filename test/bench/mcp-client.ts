// The load generator's MCP client: raw JSON-RPC POSTs over an undici Pool with keep-alive (no SDK,
// so the client costs the same on every path and stays small next to what is measured).
import { Pool } from 'undici';

export const PROTOCOL_VERSION = '2025-11-25';

/** One endpoint (`http://127.0.0.1:PORT/mcp[/server]`), reached through its own keep-alive pool. */
export class Endpoint {
  readonly url: URL;
  readonly pool: Pool;
  readonly #token: string | undefined;

  constructor(url: string, connections: number, token?: string) {
    this.url = new URL(url);
    this.pool = new Pool(this.url.origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
    });
    this.#token = token;
  }

  headers(sessionId?: string): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (sessionId) {
      headers['mcp-session-id'] = sessionId;
      headers['mcp-protocol-version'] = PROTOCOL_VERSION;
    }
    return headers;
  }

  /** Opens a session (initialize + notifications/initialized). */
  async open(clientName: string): Promise<Session> {
    const res = await this.pool.request({
      path: this.url.pathname,
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: {
          protocolVersion: PROTOCOL_VERSION,
          capabilities: {},
          clientInfo: { name: clientName, version: '1.0.0' },
        },
      }),
    });
    const text = await res.body.text();
    const id = res.headers['mcp-session-id'];
    if (res.statusCode !== 200 || typeof id !== 'string') {
      throw new Error(`initialize to ${this.url.href} failed: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
    }
    const session = new Session(this, id);
    await session.notify('notifications/initialized');
    return session;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export class Session {
  readonly endpoint: Endpoint;
  readonly id: string;
  #nextId = 1;

  constructor(endpoint: Endpoint, id: string) {
    this.endpoint = endpoint;
    this.id = id;
  }

  async notify(method: string): Promise<void> {
    const res = await this.endpoint.pool.request({
      path: this.endpoint.url.pathname,
      method: 'POST',
      headers: this.endpoint.headers(this.id),
      body: JSON.stringify({ jsonrpc: '2.0', method }),
    });
    await res.body.dump();
    if (res.statusCode !== 202) throw new Error(`${method} got HTTP ${res.statusCode}`);
  }

  /** One `tools/call` of `echo`; throws unless the answer echoes `text` back. */
  async echo(text: string): Promise<void> {
    const id = this.#nextId++;
    const res = await this.endpoint.pool.request({
      path: this.endpoint.url.pathname,
      method: 'POST',
      headers: this.endpoint.headers(this.id),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: 'echo', arguments: { text } },
      }),
    });
    const body = await res.body.text();
    if (res.statusCode !== 200)
      throw new Error(`tools/call got HTTP ${res.statusCode}: ${body.slice(0, 200)}`);
    const message = JSON.parse(body) as { id?: unknown; result?: { content?: { text?: string }[] } };
    if (message.id !== id || message.result?.content?.[0]?.text !== text) {
      throw new Error(`tools/call got an unexpected answer: ${body.slice(0, 200)}`);
    }
  }

  /** Ends the session (DELETE); errors are ignored. */
  async close(): Promise<void> {
    try {
      const res = await this.endpoint.pool.request({
        path: this.endpoint.url.pathname,
        method: 'DELETE',
        headers: this.endpoint.headers(this.id),
      });
      await res.body.dump();
    } catch {
      // the benchmark's numbers do not depend on it
    }
  }
}

/** Runs `task(i)` for i in [0, count) with at most `parallel` running at once. */
export async function inParallel<T>(
  count: number,
  parallel: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
  return results;
}
