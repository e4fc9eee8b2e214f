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
}

export const NOOP_SINK: RequestSink = { onStream() {}, onMessage() {} };
