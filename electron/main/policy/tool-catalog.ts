import type { JsonRpcRequest, JsonRpcResponse } from '../base/json-rpc.ts';
import type { UpstreamSession } from '../gateway/upstream/upstream-session.ts';

/** The parts of an MCP tool definition policy reads (the rest passes through untouched). */
export interface ToolInfo {
  name: string;
  annotations?: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
  [key: string]: unknown;
}

/**
 * What each server's tools look like, learned from every `tools/list` that passes through. Policy
 * needs a tool's annotations to judge its risk; when a client calls a tool before listing (or after a
 * restart) the catalog lists the server itself through the caller's own upstream session.
 */
export class ToolCatalog {
  readonly #byServer = new Map<string, Map<string, ToolInfo>>();
  #listId = 0;

  /** Records a `tools/list` result page (a page without a cursor starts a fresh view). */
  observe(server: string, request: JsonRpcRequest, response: JsonRpcResponse): void {
    if (!('result' in response) || !Array.isArray(response.result.tools)) return;
    const firstPage = !(request.params && typeof request.params.cursor === 'string');
    let tools = this.#byServer.get(server);
    if (!tools || firstPage) {
      tools = new Map();
      this.#byServer.set(server, tools);
    }
    for (const tool of response.result.tools as ToolInfo[]) {
      if (tool && typeof tool.name === 'string') tools.set(tool.name, tool);
    }
  }

  get(server: string, tool: string): ToolInfo | undefined {
    return this.#byServer.get(server)?.get(tool);
  }

  forget(server: string): void {
    this.#byServer.delete(server);
  }

  known(server: string): boolean {
    return this.#byServer.has(server);
  }

  /** Lists every page of the server's tools through `upstream` (at most 20 pages). */
  async refresh(server: string, upstream: UpstreamSession, signal?: AbortSignal): Promise<void> {
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const request: JsonRpcRequest = {
        jsonrpc: '2.0',
        id: `gatehouse-tools-${++this.#listId}`,
        method: 'tools/list',
        ...(cursor ? { params: { cursor } } : {}),
      };
      const response = await upstream.request(request, { onStream() {}, onMessage() {} }, signal);
      this.observe(server, request, response);
      const next = 'result' in response ? response.result.nextCursor : undefined;
      if (typeof next !== 'string' || next === '') return;
      cursor = next;
    }
  }
}
