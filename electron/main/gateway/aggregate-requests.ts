import { ErrorCode, errorResponse, type JsonRpcRequest, type JsonRpcResponse } from '../base/json-rpc.ts';
import type { AggregateSession } from './aggregate-session.ts';
import { namespacedName, resourceUrisIn, splitNamespaced } from './aggregate-names.ts';
import type { DownstreamSession } from './downstream-session.ts';
import type { RequestSink } from './upstream/upstream-session.ts';

/** The lists `/mcp` merges, their result field, and whether their items carry a namespaced name. */
const LISTS = {
  'tools/list': { field: 'tools', named: true },
  'prompts/list': { field: 'prompts', named: true },
  'resources/list': { field: 'resources', named: false },
  'resources/templates/list': { field: 'resourceTemplates', named: false },
} as const;
type ListName = keyof typeof LISTS;

/** Where `/mcp` results say which servers are missing from them. */
export const UNAVAILABLE_META = 'dev.gatehouse/unavailable';

/** At most this many pages are read from one server for one list. */
const MAX_PAGES = 20;

/**
 * Routes one request on the aggregated endpoint: lists are merged from every member, named items go
 * to the server their name starts with, resource URIs to the server that offers them. Members relay
 * with their own governance, so policy, approvals, audit and pinning apply exactly as per server.
 */
export async function routeAggregateRequest(
  agg: AggregateSession,
  request: JsonRpcRequest,
  sink: RequestSink,
): Promise<JsonRpcResponse | undefined> {
  switch (request.method) {
    case 'ping':
      return { jsonrpc: '2.0', id: request.id, result: {} };
    case 'tools/list':
    case 'prompts/list':
    case 'resources/list':
    case 'resources/templates/list':
      return mergeLists(agg, request, sink, request.method);
    case 'tools/call':
      return byName(agg, request, sink, 'tool');
    case 'prompts/get':
      return byName(agg, request, sink, 'prompt');
    case 'resources/read':
    case 'resources/subscribe':
    case 'resources/unsubscribe':
      return byUri(agg, request, sink, request.params?.uri, (uri) => ({ ...request.params, uri }));
    case 'completion/complete':
      return complete(agg, request, sink);
    case 'logging/setLevel':
      await Promise.all(agg.members().map((m) => m.relayRequest(request, agg.memberSink(m, sink))));
      return { jsonrpc: '2.0', id: request.id, result: {} };
    default:
      return errorResponse(
        request.id,
        ErrorCode.MethodNotFound,
        `Method not found: ${request.method} is not available on the aggregated endpoint /mcp (use /mcp/<server>)`,
      );
  }
}

async function mergeLists(
  agg: AggregateSession,
  request: JsonRpcRequest,
  sink: RequestSink,
  method: ListName,
): Promise<JsonRpcResponse | undefined> {
  if (typeof request.params?.cursor === 'string') {
    return errorResponse(
      request.id,
      ErrorCode.InvalidParams,
      'Invalid cursor: the aggregated endpoint returns whole lists',
    );
  }
  const { field, named } = LISTS[method];
  const members = agg.members();
  const pages = await Promise.all(members.map((m) => listMember(agg, m, request, sink, field)));
  if (pages.length > 0 && pages.every((p) => p === 'cancelled')) return undefined;
  const items: unknown[] = [];
  const unavailable = agg.unavailable();
  pages.forEach((page, i) => {
    const server = members[i]!.info.serverName;
    if (page === 'cancelled') return;
    if ('error' in page) {
      unavailable.push({ server, error: page.error });
      return;
    }
    if (method === 'resources/list')
      agg.routes.recordUris(
        server,
        page.items.map((r) => uriOf(r, 'uri')),
      );
    if (method === 'resources/templates/list')
      agg.routes.recordTemplates(
        server,
        page.items.map((t) => uriOf(t, 'uriTemplate')),
      );
    for (const item of page.items) {
      if (
        named &&
        item &&
        typeof item === 'object' &&
        typeof (item as { name?: unknown }).name === 'string'
      ) {
        const named = item as { name: string };
        items.push({ ...named, name: namespacedName(server, named.name) });
      } else if (!named) items.push(item);
    }
  });
  return {
    jsonrpc: '2.0',
    id: request.id,
    result: {
      [field]: items,
      ...(unavailable.length > 0 ? { _meta: { [UNAVAILABLE_META]: unavailable } } : {}),
    },
  };
}

/** Every page of one list from one member, through its governance. */
async function listMember(
  agg: AggregateSession,
  member: DownstreamSession,
  request: JsonRpcRequest,
  sink: RequestSink,
  field: string,
): Promise<{ items: unknown[] } | { error: string } | 'cancelled'> {
  const items: unknown[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { cursor: _ignored, ...params } = request.params ?? {};
    const response = await member.relayRequest(
      { ...request, params: cursor ? { ...params, cursor } : params },
      agg.memberSink(member, sink),
    );
    if (!response) return 'cancelled';
    if ('error' in response) {
      // A server without this feature simply adds nothing.
      if (response.error.code === ErrorCode.MethodNotFound) return { items };
      return { error: response.error.message };
    }
    const list = response.result[field];
    if (Array.isArray(list)) items.push(...(list as unknown[]));
    const next = response.result.nextCursor;
    if (typeof next !== 'string' || next === '') break;
    cursor = next;
  }
  return { items };
}

async function byName(
  agg: AggregateSession,
  request: JsonRpcRequest,
  sink: RequestSink,
  kind: 'tool' | 'prompt',
): Promise<JsonRpcResponse | undefined> {
  const name = request.params?.name;
  const unknown = errorResponse(request.id, ErrorCode.InvalidParams, `Unknown ${kind}: ${String(name)}`);
  const split = typeof name === 'string' ? splitNamespaced(name) : undefined;
  if (!split) return unknown;
  const member = agg.member(split.server);
  if (!member) return unavailableOr(agg, request, split.server, unknown);
  const response = await member.relayRequest(
    { ...request, params: { ...request.params, name: split.name } },
    agg.memberSink(member, sink),
  );
  if (!response) return undefined;
  if ('result' in response) {
    if (kind === 'tool') agg.routes.recordUris(split.server, resourceUrisIn(response.result));
    return response;
  }
  // "Unknown tool: x" (hidden, filtered, or really unknown) names the tool as the client knows it.
  if (response.error.code === ErrorCode.InvalidParams && response.error.message.includes(split.name)) {
    return { ...response, error: { ...response.error, message: `Unknown ${kind}: ${String(name)}` } };
  }
  return response;
}

async function byUri(
  agg: AggregateSession,
  request: JsonRpcRequest,
  sink: RequestSink,
  uri: unknown,
  params: (uri: string) => Record<string, unknown> | undefined,
): Promise<JsonRpcResponse | undefined> {
  if (typeof uri !== 'string') {
    return errorResponse(request.id, ErrorCode.InvalidParams, 'Invalid params: uri must be a string');
  }
  const members = agg.members();
  const server = agg.routes.route(
    uri,
    members.map((m) => m.info.serverName),
  );
  const member = server ? agg.member(server) : undefined;
  if (!member) {
    return errorResponse(
      request.id,
      ErrorCode.InvalidParams,
      `Unknown resource: ${uri} (no server of this session listed it; list resources first)`,
    );
  }
  const forwarded = params(uri);
  return member.relayRequest(
    { ...request, ...(forwarded ? { params: forwarded } : {}) },
    agg.memberSink(member, sink),
  );
}

async function complete(
  agg: AggregateSession,
  request: JsonRpcRequest,
  sink: RequestSink,
): Promise<JsonRpcResponse | undefined> {
  const ref = request.params?.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
  if (ref?.type === 'ref/resource') {
    return byUri(agg, request, sink, ref.uri, () => request.params);
  }
  const split =
    ref?.type === 'ref/prompt' && typeof ref.name === 'string' ? splitNamespaced(ref.name) : undefined;
  const unknown = errorResponse(request.id, ErrorCode.InvalidParams, `Unknown prompt: ${String(ref?.name)}`);
  if (!split) return unknown;
  const member = agg.member(split.server);
  if (!member) return unavailableOr(agg, request, split.server, unknown);
  return member.relayRequest(
    { ...request, params: { ...request.params, ref: { ...ref, name: split.name } } },
    agg.memberSink(member, sink),
  );
}

/** A request for a server that is not in the session: unavailable (left out, retried) or unknown. */
function unavailableOr(
  agg: AggregateSession,
  request: JsonRpcRequest,
  server: string,
  unknown: JsonRpcResponse,
): JsonRpcResponse {
  const down = agg.unavailable().find((u) => u.server === server);
  if (!down) return unknown;
  return errorResponse(
    request.id,
    ErrorCode.UpstreamUnavailable,
    `Server "${server}" is unavailable: ${down.error} (Gatehouse retries it; list tools again later)`,
    { server, failure: 'unavailable' },
  );
}

function uriOf(item: unknown, field: 'uri' | 'uriTemplate'): unknown {
  return item && typeof item === 'object' ? (item as Record<string, unknown>)[field] : undefined;
}
