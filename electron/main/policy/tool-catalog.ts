import type { JsonRpcRequest, JsonRpcResponse } from '../base/json-rpc.ts';
import { isFirstPage } from '../pinning/list-all.ts';

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
 * restart) the governor lists the server itself through the caller's own upstream session.
 */
export class ToolCatalog {
  readonly #byServer = new Map<string, Map<string, ToolInfo>>();

  /** Records a `tools/list` result page (a page without a cursor starts a fresh view). */
  observe(server: string, request: JsonRpcRequest, response: JsonRpcResponse): void {
    if (!('result' in response) || !Array.isArray(response.result.tools)) return;
    const firstPage = isFirstPage(request);
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

  /** Replaces what is known of a server's tools with a complete list. */
  set(server: string, tools: unknown[]): void {
    const map = new Map<string, ToolInfo>();
    for (const tool of tools as ToolInfo[])
      if (tool && typeof tool.name === 'string') map.set(tool.name, tool);
    this.#byServer.set(server, map);
  }
}
