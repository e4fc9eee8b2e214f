/** JSON-RPC 2.0 message shapes as the relay sees them: parsed once, forwarded re-serialized. */
export type JsonRpcId = string | number;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: JsonRpcId;
  method: string;
  params?: Record<string, unknown>;
}
export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Record<string, unknown>;
}
export interface JsonRpcSuccess {
  jsonrpc: '2.0';
  id: JsonRpcId;
  result: Record<string, unknown>;
}
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}
export interface JsonRpcError {
  jsonrpc: '2.0';
  id: JsonRpcId | null;
  error: JsonRpcErrorObject;
}
export type JsonRpcResponse = JsonRpcSuccess | JsonRpcError;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** Standard and Gatehouse-specific error codes (-32000..-32099 is the implementation range). */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Gatehouse: the HTTP request itself was refused (auth, Host, Origin, session). */
  Refused: -32000,
  /** Gatehouse: the MCP session is unknown or expired. */
  SessionNotFound: -32001,
  /** Gatehouse: the upstream server could not be reached or failed. */
  UpstreamUnavailable: -32010,
  /** Gatehouse: the upstream server did not answer in time. */
  UpstreamTimeout: -32011,
  /** Gatehouse: the upstream server needs a login in Gatehouse. */
  UpstreamNeedsLogin: -32012,
} as const;

export type MessageKind = 'request' | 'notification' | 'response';

/**
 * Classifies a parsed value as a single JSON-RPC 2.0 message, or explains why it is not one.
 * Pure; used on every inbound and upstream message.
 */
export function classifyMessage(
  value: unknown,
): { kind: MessageKind; message: JsonRpcMessage } | { error: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: Array.isArray(value) ? 'JSON-RPC batches are not supported' : 'not a JSON-RPC object' };
  }
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return { error: 'jsonrpc must be "2.0"' };
  const hasId = 'id' in m;
  if (hasId && !isValidId(m.id) && !(m.id === null && 'error' in m)) {
    return { error: 'id must be a string or an integer' };
  }
  if (typeof m.method === 'string') {
    if ('result' in m || 'error' in m) return { error: 'a message cannot be both a request and a response' };
    if (
      m.params !== undefined &&
      (m.params === null || typeof m.params !== 'object' || Array.isArray(m.params))
    ) {
      return { error: 'params must be an object' };
    }
    return { kind: hasId ? 'request' : 'notification', message: m as unknown as JsonRpcMessage };
  }
  if ('method' in m) return { error: 'method must be a string' };
  if (!hasId) return { error: 'a response needs an id' };
  if ('result' in m === 'error' in m) return { error: 'a response has exactly one of result and error' };
  if ('result' in m && (m.result === null || typeof m.result !== 'object' || Array.isArray(m.result))) {
    return { error: 'result must be an object' };
  }
  if ('error' in m) {
    const e = m.error as Record<string, unknown> | null;
    if (!e || typeof e !== 'object' || typeof e.code !== 'number' || typeof e.message !== 'string') {
      return { error: 'error must have a numeric code and a message' };
    }
  }
  return { kind: 'response', message: m as unknown as JsonRpcMessage };
}

function isValidId(id: unknown): id is JsonRpcId {
  return typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id));
}

export function isRequest(m: JsonRpcMessage): m is JsonRpcRequest {
  return 'method' in m && 'id' in m;
}
export function isNotification(m: JsonRpcMessage): m is JsonRpcNotification {
  return 'method' in m && !('id' in m);
}
export function isResponse(m: JsonRpcMessage): m is JsonRpcResponse {
  return !('method' in m);
}

export function errorResponse(
  id: JsonRpcId | null,
  code: number,
  message: string,
  data?: unknown,
): JsonRpcError {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}

/** A key for matching ids across string/number forms without confusing `1` and `"1"`. */
export function idKey(id: JsonRpcId): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`;
}
