import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach } from 'vitest';
import {
  startAuthorizationServer,
  type AuthorizationServer,
  type AuthorizationServerOptions,
} from '../../fixtures/oauth/authorization-server.ts';
import {
  startProtectedMcpServer,
  type ProtectedMcpServer,
  type ProtectedMcpServerOptions,
} from '../../fixtures/oauth/protected-mcp-server.ts';
import { startGateway, type GatewayHarness } from './gateway-harness.ts';

/** The OAuth tests' pieces, each stopped after the test that started it. */
export interface OAuthTestbed {
  /** Runs `cleanup` after the current test (cleanups run last first; failures are ignored). */
  defer: (cleanup: () => Promise<unknown>) => void;
  /** The fixture authorization server (a real oidc-provider). */
  authServer: (options?: AuthorizationServerOptions) => Promise<AuthorizationServer>;
  /** The fixture MCP server that requires tokens from `options.issuer`. */
  mcpServer: (options: ProtectedMcpServerOptions) => Promise<ProtectedMcpServer>;
  /** A real gateway with a rule allowing every call (these tests are about logins, not policy). */
  gateway: () => Promise<GatewayHarness>;
  /** An authorization server, an MCP server it protects, and a gateway with that server as "remote". */
  remote: (
    asOptions?: AuthorizationServerOptions,
    mcpOptions?: Partial<ProtectedMcpServerOptions>,
  ) => Promise<{ as: AuthorizationServer; mcp: ProtectedMcpServer; h: GatewayHarness }>;
}

/** Call at the top level of a test file: registers the `afterEach` that runs the cleanups. */
export function oauthTestbed(): OAuthTestbed {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  });
  const defer = (cleanup: () => Promise<unknown>) => {
    cleanups.push(cleanup);
  };
  const testbed: OAuthTestbed = {
    defer,
    async authServer(options) {
      const server = await startAuthorizationServer(options);
      defer(() => server.close());
      return server;
    },
    async mcpServer(options) {
      const server = await startProtectedMcpServer(options);
      defer(() => server.close());
      return server;
    },
    async gateway() {
      const h = await startGateway({ allowAll: true });
      defer(() => h.stop());
      return h;
    },
    async remote(asOptions, mcpOptions = {}) {
      const as = await testbed.authServer(asOptions);
      const mcp = await testbed.mcpServer({ issuer: as.issuer, ...mcpOptions });
      const h = await testbed.gateway();
      await h.addServer('remote', mcp.url);
      return { as, mcp, h };
    },
  };
  return testbed;
}

/** The text of a tool result's first content item ('' when it has none). */
export function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  const first = (result.content as { type: string; text?: string }[])[0];
  return first?.text ?? '';
}
