import crypto from 'node:crypto';
import type { JsonRpcRequest, JsonRpcSuccess } from '../base/json-rpc.ts';
import type { UpstreamSession } from '../gateway/upstream/upstream-session.ts';

/** The list methods whose results are pinned: the result field, the pin kind, and the change notice. */
export const LIST_METHODS = {
  'tools/list': { field: 'tools', kind: 'tool', changed: 'notifications/tools/list_changed' },
  'prompts/list': { field: 'prompts', kind: 'prompt', changed: 'notifications/prompts/list_changed' },
  'resources/templates/list': {
    field: 'resourceTemplates',
    kind: 'resource-template',
    changed: 'notifications/resources/list_changed',
  },
} as const;
export type ListMethod = keyof typeof LIST_METHODS;

/** Whether a list request asked for the first page (no cursor): a fresh view of the list starts. */
export function isFirstPage(request: JsonRpcRequest): boolean {
  return !(request.params && typeof request.params.cursor === 'string');
}

/** Whether a list response is the whole list: the first page, with no next page. */
export function isCompleteList(request: JsonRpcRequest, response: JsonRpcSuccess): boolean {
  return isFirstPage(request) && typeof response.result.nextCursor !== 'string';
}

/** The pinned list method named by a request method, if any. */
export function listMethod(method: string): ListMethod | undefined {
  return Object.hasOwn(LIST_METHODS, method) ? (method as ListMethod) : undefined;
}

/** The list method a `notifications/…/list_changed` asks to re-run, if any. */
export function listMethodChangedBy(notification: string): ListMethod | undefined {
  return (Object.keys(LIST_METHODS) as ListMethod[]).find((m) => LIST_METHODS[m].changed === notification);
}

/**
 * Lists every page of `method` through an upstream session (at most 20 pages), as Gatehouse itself
 * rather than as a client: for risk, re-lists after list_changed, and the periodic watch.
 */
export async function listAll(
  upstream: UpstreamSession,
  method: ListMethod,
  signal?: AbortSignal,
): Promise<unknown[]> {
  const field = LIST_METHODS[method].field;
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
