import type { Dispatcher } from 'undici';
import type {
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
} from '../../base/json-rpc.ts';
import type { Logger } from '../../base/logger.ts';

/** Where messages that belong to one relayed request go while it is in flight. */
export interface RequestSink {
  /** The upstream answered with an SSE stream, so interim messages may follow before the response. */
  onStream(): void;
  /** A notification or server-to-client request the upstream sent in the context of this request. */
  onMessage(message: JsonRpcMessage): void;
}

/** One upstream MCP session, owned by exactly one downstream session. */
export interface UpstreamSession {
  readonly transport: 'streamable-http' | 'legacy-sse';
  readonly protocolVersion: string;
  /** Relays a request and resolves with its response; interim messages go to `sink`. */
  request(request: JsonRpcRequest, sink: RequestSink, signal?: AbortSignal): Promise<JsonRpcResponse>;
  /** Relays a notification, or a response to a server-to-client request. */
  send(message: JsonRpcNotification | JsonRpcResponse): Promise<void>;
  /** Starts delivering messages that belong to no request (the standalone stream). Idempotent. */
  listen(onMessage: (message: JsonRpcMessage) => void): void;
  /** Ends the upstream session (HTTP DELETE where supported) and aborts everything in flight. */
  close(): Promise<void>;
}

export interface UpstreamOptions {
  serverName: string;
  url: URL;
  agent: Dispatcher;
  /** Secret headers configured for the server, resolved at each use so changes apply at once. */
  headers: () => Record<string, string>;
  /** Time allowed without any response or progress before a request is cancelled. */
  timeoutMs: number;
  maxMessageBytes: number;
  logger: Logger;
  /** The server's OAuth login, when Gatehouse manages one (never the downstream client's token). */
  auth?: UpstreamAuth;
}

/**
 * What the upstream transports ask of the OAuth layer (electron/main/oauth): the `Authorization`
 * header for each request, and what to do with a 401 or a 403 `insufficient_scope`.
 */
export interface UpstreamAuth {
  /**
   * The `Authorization` header value for the next request (refreshed first when the access token is
   * about to expire), or undefined when there is no login. Rejects with an UpstreamError.
   */
  header(): Promise<string | undefined>;
  /**
   * A request sent with `sent` got 401: resolves true when a retry can succeed (the token was
   * refreshed, here or by a concurrent request), false when the person must log in.
   */
  unauthorized(sent: string | undefined, wwwAuthenticate: string | undefined): Promise<boolean>;
  /**
   * A request got 403 `insufficient_scope` for the `attempt`-th time (0-based): resolves true after a
   * step-up login gave a token with more scopes, false to give up (limit reached, login not finished).
   */
  insufficientScope(
    wwwAuthenticate: string | undefined,
    attempt: number,
    signal?: AbortSignal,
  ): Promise<boolean>;
}

export const NOOP_SINK: RequestSink = { onStream() {}, onMessage() {} };

/** Gatehouse's own `initialize` (watching a server for changes, probing it for a login challenge). */
export function ownInitialize(id: string): JsonRpcRequest {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'Gatehouse', version: '0.1.0' },
    },
  };
}
