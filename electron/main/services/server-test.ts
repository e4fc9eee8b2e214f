import type { ChannelOutput } from '../../../shared/ipc/contract.ts';
import type { ServerConfig } from '../../../shared/schemas/servers.ts';
import type { Gateway } from '../gateway/gateway-server.ts';
import { listAll } from '../pinning/list-all.ts';

/**
 * "Test the connection" on the Servers page: opens Gatehouse's own session (initialize + the whole
 * tools/list), closes it, and says what happened — a failure is a result to show, not an error.
 */
export async function testServer(
  gateway: Gateway,
  server: ServerConfig,
): Promise<ChannelOutput<'servers.test'>> {
  try {
    const { upstream, response } = await gateway.openOwnSession(server);
    try {
      if ('error' in response) return { ok: false, error: response.error.message };
      const info = (response.result as { serverInfo?: { name?: unknown; version?: unknown } }).serverInfo;
      const tools = await listAll(upstream, 'tools/list');
      return {
        ok: true,
        tools: tools.length,
        ...(typeof info?.name === 'string'
          ? {
              serverInfo: {
                name: info.name,
                ...(typeof info.version === 'string' ? { version: info.version } : {}),
              },
            }
          : {}),
      };
    } finally {
      await upstream.close();
    }
  } catch (error) {
    const failure = (error as { failure?: unknown }).failure;
    return {
      ok: false,
      error: (error as Error).message,
      ...(failure === 'needs-login' ? { needsLogin: true } : {}),
    };
  }
}
