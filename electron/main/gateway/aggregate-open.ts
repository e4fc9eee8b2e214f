import type { ClientRecord } from '../../../shared/schemas/clients.ts';
import type { JsonRpcRequest, JsonRpcResponse } from '../base/json-rpc.ts';
import { AggregateSession, type AggregateDeps, type AggregateInfo } from './aggregate-session.ts';
import { NAME_SEPARATOR } from './aggregate-names.ts';
import { SUPPORTED_PROTOCOL_VERSIONS } from './request-guards.ts';

/**
 * Answers a client's `initialize` on `/mcp`: opens a member for every server the client may reach (in
 * parallel) and merges what they said. Capabilities are the union, with tools, prompts and resources
 * always declared with `listChanged` (a server that comes back later may add to them) and logging
 * declared so the client hears which servers are left out.
 */
export async function openAggregate(
  init: {
    request: JsonRpcRequest;
    forwarded: JsonRpcRequest;
    clientInfo: AggregateInfo['clientInfo'];
    profile: string;
  },
  client: ClientRecord,
  deps: AggregateDeps,
): Promise<{ session: AggregateSession; response: JsonRpcResponse }> {
  const requested = init.request.params?.protocolVersion;
  const protocolVersion =
    typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested)
      ? requested
      : SUPPORTED_PROTOCOL_VERSIONS[0]!;
  const session = new AggregateSession(
    { clientName: client.name, clientInfo: init.clientInfo, protocolVersion, profile: init.profile },
    init.forwarded,
    deps,
  );
  const started = await session.start();
  const caps = started.map((s) => (s.result.capabilities ?? {}) as Record<string, Record<string, unknown>>);
  const capabilities: Record<string, unknown> = {
    tools: { listChanged: true },
    prompts: { listChanged: true },
    resources: {
      listChanged: true,
      ...(caps.some((c) => c.resources?.subscribe === true) ? { subscribe: true } : {}),
    },
    logging: {},
    ...(caps.some((c) => c.completions) ? { completions: {} } : {}),
  };
  const parts = [
    `Gatehouse relays several MCP servers here; each tool and prompt is named <server>${NAME_SEPARATOR}<name>.`,
  ];
  for (const { server, result } of started) {
    if (typeof result.instructions === 'string' && result.instructions.trim() !== '')
      parts.push(`## ${server}\n${result.instructions}`);
  }
  const unavailable = session.unavailable();
  if (unavailable.length > 0) {
    parts.push(
      `Unavailable for now (Gatehouse retries them): ${unavailable.map((u) => u.server).join(', ')}`,
    );
  }
  return {
    session,
    response: {
      jsonrpc: '2.0',
      id: init.request.id,
      result: {
        protocolVersion,
        capabilities,
        serverInfo: { name: 'gatehouse', title: 'Gatehouse (all servers)', version: '0.1.0' },
        instructions: parts.join('\n\n'),
      },
    },
  };
}
