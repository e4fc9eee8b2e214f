import type { JsonRpcRequest, JsonRpcResponse } from '../../base/json-rpc.ts';
import { LegacySseUpstream } from './legacy-sse-upstream.ts';
import { StreamableHttpUpstream } from './streamable-http-upstream.ts';
import { UpstreamError } from './upstream-error.ts';
import type { UpstreamOptions, UpstreamSession } from './upstream-session.ts';

/**
 * Opens an upstream session for a client's `initialize`: Streamable HTTP first, falling back to the
 * 2024-11-05 HTTP+SSE transport when the POST gets 400, 404 or 405 (MCP transports §Backwards
 * Compatibility). A JSON-RPC error answer is a real answer and is relayed, not retried.
 */
export async function connectUpstream(
  options: UpstreamOptions,
  initRequest: JsonRpcRequest,
  connectTimeoutMs: number,
): Promise<{ session: UpstreamSession; response: JsonRpcResponse }> {
  try {
    return await StreamableHttpUpstream.connect(options, initRequest);
  } catch (error) {
    if (!(error instanceof UpstreamError) || error.failure !== 'http') throw error;
    if (error.status !== 400 && error.status !== 404 && error.status !== 405) throw error;
    options.logger.debug('Streamable HTTP refused; trying HTTP+SSE', {
      server: options.serverName,
      status: error.status,
    });
    try {
      return await LegacySseUpstream.connect(options, initRequest, connectTimeoutMs);
    } catch (legacyError) {
      // Report the first failure when the legacy attempt shows the URL is no SSE endpoint either.
      if (legacyError instanceof UpstreamError && legacyError.failure === 'http') throw error;
      throw legacyError;
    }
  }
}
