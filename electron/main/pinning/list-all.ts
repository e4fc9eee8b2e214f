import crypto from 'node:crypto';
import type { JsonRpcRequest } from '../base/json-rpc.ts';
import type { UpstreamSession } from '../gateway/upstream/upstream-session.ts';

/** The list methods whose results are pinned, and the result field each returns. */
export const LIST_METHODS = {
  'tools/list': 'tools',
  'prompts/list': 'prompts',
  'resources/templates/list': 'resourceTemplates',
} as const;
export type ListMethod = keyof typeof LIST_METHODS;

/**
 * Lists every page of `method` through an upstream session (at most 20 pages), as Gatehouse itself
 * rather than as a client: for risk, re-lists after list_changed, and the periodic watch.
 */
export async function listAll(
  upstream: UpstreamSession,
  method: ListMethod,
  signal?: AbortSignal,
): Promise<unknown[]> {
  const field = LIST_METHODS[method];
  const items: unknown[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const request: JsonRpcRequest = {
      jsonrpc: '2.0',
      id: `gatehouse-list-${crypto.randomUUID()}`,
      method,
      ...(cursor ? { params: { cursor } } : {}),
    };
    const response = await upstream.request(request, { onStream() {}, onMessage() {} }, signal);
    if (!('result' in response)) throw new Error(`${method} failed: ${response.error.message}`);
    const list = response.result[field];
    if (Array.isArray(list)) items.push(...(list as unknown[]));
    const next = response.result.nextCursor;
    if (typeof next !== 'string' || next === '') return items;
    cursor = next;
  }
  return items;
}
