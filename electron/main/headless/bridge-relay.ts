import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, errorResponse, type JsonRpcId } from '../base/json-rpc.ts';

/** JSON-RPC code of the bridge's own errors: the gateway could not be reached or refused the request. */
export const BRIDGE_ERROR = ErrorCode.Refused;

export interface BridgeOptions {
  /** Where the gateway is, looked up again for each new session (it may have started meanwhile). */
  endpoint(): URL;
  token: string;
  stdin: Readable;
  stdout: Writable;
  /** One line for the person (stderr); never part of the protocol. */
  note(line: string): void;
  /** What to tell about the data folder when the gateway is not running. */
  notRunningHelp: string;
}

/**
 * Relays one MCP session between newline-delimited JSON-RPC on stdin/stdout and the local gateway's
 * Streamable HTTP endpoint: requests and their streamed messages (progress, server-to-client requests),
 * the standalone stream, notifications and responses in both directions. Messages pass unchanged.
 * When the gateway no longer knows the session (it restarted, or expired the session), a new gateway
 * session is opened with the client's own initialize and the message is sent again, so the client
 * carries on. Resolves when stdin ends (the client went away); the gateway session is then deleted.
 */
export async function runBridge(o: BridgeOptions): Promise<void> {
  let transport: StreamableHTTPClientTransport | undefined;
  let initializeId: JsonRpcId | undefined;
  /** The client's initialize, once it completed the handshake (for re-opening a lost session). */
  let handshake: { init: Record<string, unknown>; done: boolean } | undefined;
  let reopening: Promise<StreamableHTTPClientTransport | undefined> | undefined;
  let reopenSeq = 0;
  /** Responses to the bridge's own requests (a re-sent initialize): never shown to the client. */
  const own = new Set<JsonRpcId>();
  let down = false;
  const explained = new WeakSet<object>();

  const write = (message: unknown) => {
    o.stdout.write(JSON.stringify(message) + '\n');
  };
  const fail = (id: JsonRpcId, message: string, data?: Record<string, unknown>) =>
    write(errorResponse(id, BRIDGE_ERROR, message, data));

  const open = (): StreamableHTTPClientTransport => {
    const t = new StreamableHTTPClientTransport(o.endpoint(), {
      requestInit: { headers: { authorization: `Bearer ${o.token}` } },
    });
    t.onmessage = (message) => {
      const id = 'id' in message && !('method' in message) ? message.id : undefined;
      const result = 'result' in message ? message.result : undefined;
      if (id !== undefined && (own.has(id) || id === initializeId)) {
        if (typeof result?.protocolVersion === 'string') t.setProtocolVersion(result.protocolVersion);
        if (id === initializeId) initializeId = undefined;
        if (own.delete(id)) return;
      }
      write(message);
    };
    t.onerror = (error) => {
      // Failed sends are explained where they are caught (below); this reports stream trouble, which
      // the transport retries. Deferred so that a send's own catch marks its error first.
      setImmediate(() => {
        if (explained.has(error) || isUnreachable(error)) return;
        o.note(`gatehouse bridge: ${error.message}`);
      });
    };
    void t.start();
    return t;
  };

  /** A new gateway session for the same client session; undefined when that failed too. */
  const reopen = (lost: StreamableHTTPClientTransport) => {
    if (transport !== lost) return Promise.resolve(transport); // another message already did it
    reopening ??= (async () => {
      const t = open();
      const id = `gatehouse-bridge-reopen-${++reopenSeq}`;
      own.add(id);
      try {
        await t.send({ ...handshake!.init, id } as JSONRPCMessage);
        if (!t.sessionId) throw new Error('the gateway did not open a session');
        await t.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        transport = t;
        void lost.close().catch(() => {});
        o.note('gatehouse bridge: the gateway had lost this session (restarted?); opened a new one');
        return t;
      } catch {
        own.delete(id);
        void t.close().catch(() => {});
        return undefined;
      } finally {
        reopening = undefined;
      }
    })();
    return reopening;
  };

  const relay = async (message: Record<string, unknown>) => {
    const isRequest = typeof message.method === 'string' && 'id' in message;
    const id = message.id as JsonRpcId;
    if (message.method === 'initialize' && isRequest) {
      // A new session: the gateway may have started (or moved) since the last one.
      await transport?.close().catch(() => {});
      transport = open();
      initializeId = id;
      handshake = { init: message, done: false };
    }
    if (message.method === 'notifications/initialized' && handshake) handshake.done = true;
    transport ??= open();
    const used = transport;
    try {
      try {
        await used.send(message as JSONRPCMessage);
      } catch (error) {
        const lost = error instanceof StreamableHTTPError && error.code === 404;
        if (!lost || !handshake?.done || message.method === 'initialize') throw error;
        explained.add(error);
        const fresh = await reopen(used);
        if (!fresh) throw error;
        await fresh.send(message as JSONRPCMessage);
      }
      if (down) {
        down = false;
        o.note('gatehouse bridge: reached Gatehouse again');
      }
    } catch (error) {
      if (error && typeof error === 'object') explained.add(error);
      const why = explain(error, o);
      // An outage is said once, not for every message.
      if (!why.unreachable || !down) o.note(`gatehouse bridge: ${why.text}`);
      if (why.unreachable) down = true;
      if (isRequest) fail(id, why.text, why.data);
    }
  };

  const lines = readline.createInterface({ input: o.stdin, crlfDelay: Infinity });
  const pending = new Set<Promise<void>>();
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (error) {
      write(errorResponse(null, ErrorCode.ParseError, `Parse error: ${(error as Error).message}`));
      continue;
    }
    if (!message || typeof message !== 'object' || Array.isArray(message)) {
      write(errorResponse(null, ErrorCode.InvalidRequest, 'Invalid Request'));
      continue;
    }
    // Each message is relayed at once; a long call must not hold up the ones after it.
    const task = relay(message as Record<string, unknown>).finally(() => pending.delete(task));
    pending.add(task);
  }
  await Promise.allSettled(pending);
  if (transport) {
    if (transport.sessionId) await transport.terminateSession().catch(() => {});
    await transport.close().catch(() => {});
  }
}

/** A failure to send, as text for the person and the client. */
function explain(
  error: unknown,
  o: Pick<BridgeOptions, 'endpoint' | 'notRunningHelp'>,
): { text: string; unreachable: boolean; data?: Record<string, unknown> } {
  if (isUnreachable(error)) {
    return {
      unreachable: true,
      text: `Gatehouse is not running: nothing answers at ${o.endpoint().origin}. ${o.notRunningHelp}`,
      data: { gatehouse: 'not-running' },
    };
  }
  if (error instanceof StreamableHTTPError) {
    const body = /endpoint: (\{.*\})$/s.exec(error.message)?.[1];
    let detail = error.message;
    try {
      const parsed = body ? (JSON.parse(body) as { error?: { message?: unknown } }) : undefined;
      if (typeof parsed?.error?.message === 'string') detail = parsed.error.message;
    } catch {
      // not JSON: keep the transport's text
    }
    const hint =
      error.code === 404
        ? ' (the gateway no longer knows this session, e.g. it restarted: reconnect this MCP server in your client)'
        : '';
    return {
      unreachable: false,
      text: `Gatehouse refused the request (HTTP ${error.code}): ${detail}${hint}`,
      data: { status: error.code },
    };
  }
  return { unreachable: false, text: `Gatehouse bridge error: ${(error as Error).message ?? String(error)}` };
}

function isUnreachable(error: unknown): boolean {
  const codes = ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'UND_ERR_SOCKET'];
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && codes.includes(code)) return true;
    if (e instanceof AggregateError && e.errors.some((x) => isUnreachable(x))) return true;
  }
  return error instanceof TypeError && /fetch failed/.test(error.message);
}
