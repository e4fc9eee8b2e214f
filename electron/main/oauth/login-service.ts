/**
 * Glue between the LoginManager and the rest of the core: the services' Logins channels, and the
 * per-server UpstreamAuth the gateway's upstream client uses.
 */
import type { ServerConfig } from '../../../shared/schemas/servers.ts';
import type { UpstreamAuth } from '../gateway/upstream/upstream-session.ts';
import type { LoginHandlers } from '../services/gateway-services.ts';
import { ServiceError } from '../services/service-error.ts';
import { CALLBACK_PATH, type LoginManager } from './login-manager.ts';

/** The loopback redirect URI on a gateway port. */
export function callbackUri(port: number | undefined): string | undefined {
  return port === undefined || port === 0 ? undefined : `http://127.0.0.1:${port}${CALLBACK_PATH}`;
}

/**
 * The OAuth login the upstream client uses for a server, or undefined when the person configured a
 * static `Authorization` header for it (an API key): then Gatehouse does not manage a login there.
 */
export function upstreamAuthFor(
  logins: LoginManager,
  server: ServerConfig,
  waitMs: () => number,
): UpstreamAuth | undefined {
  if (server.headerNames.some((name) => name.toLowerCase() === 'authorization')) return undefined;
  return logins.upstreamAuth(server.name, waitMs);
}

/** The services contract's Logins channels on a LoginManager. */
export function loginHandlers(logins: LoginManager): LoginHandlers {
  return {
    needsLogin: (server) => logins.needsLogin(server),
    'logins.list': async () => logins.list(),
    'logins.start': async ({ name }) => {
      try {
        return { authorizationUrl: await logins.start(name).ready };
      } catch (error) {
        throw new ServiceError(`cannot log in to "${name}": ${(error as Error).message}`);
      }
    },
    'logins.logout': async ({ name }) => {
      await logins.logout(name);
      return { ok: true as const };
    },
  };
}
