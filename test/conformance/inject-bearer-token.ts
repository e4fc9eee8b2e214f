import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';

/**
 * Preloaded into the conformance suite's process (NODE_OPTIONS=--import). The suite cannot be told to
 * send credentials, and the gateway rightly refuses requests without a client token, so this adds
 * `Authorization: Bearer <token>` to every request aimed at the gateway's origin, exactly as a
 * configured MCP client does. Nothing else about the requests changes (Host and Origin included).
 *
 * The suite sends with fetch and with undici's `request`; both go through undici's global dispatcher,
 * so the header is added there, using the suite's own copy of undici.
 */
const token = process.env.CONFORMANCE_BEARER_TOKEN;
const origin = process.env.CONFORMANCE_TOKEN_ORIGIN;
delete process.env.NODE_OPTIONS; // keep the preload out of anything the suite spawns

if (token && origin) {
  const suite = path.resolve(
    import.meta.dirname,
    '../../node_modules/@modelcontextprotocol/conformance/package.json',
  );
  const undici = createRequire(suite)('undici') as typeof Undici;
  const withToken = (
    headers: Dispatcher.DispatchOptions['headers'],
  ): Dispatcher.DispatchOptions['headers'] => {
    if (Array.isArray(headers)) {
      const flat = headers;
      for (let i = 0; i < flat.length; i += 2)
        if (String(flat[i]).toLowerCase() === 'authorization') return headers;
      return [...flat, 'authorization', `Bearer ${token}`];
    }
    const record = { ...(headers as Record<string, string> | null | undefined) };
    if (Object.keys(record).some((k) => k.toLowerCase() === 'authorization')) return record;
    return { ...record, authorization: `Bearer ${token}` };
  };
  const agent = new undici.Agent().compose((dispatch) => (options, handler) => {
    const target = typeof options.origin === 'string' ? options.origin : options.origin?.origin;
    return dispatch(
      target === origin ? { ...options, headers: withToken(options.headers) } : options,
      handler,
    );
  });
  undici.setGlobalDispatcher(agent);
}
