import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import type { ServiceEvent } from '../../shared/ipc/events.ts';
import type {
  AuthorizationServer,
  AuthorizationServerOptions,
} from '../fixtures/oauth/authorization-server.ts';
import { completeLogin } from '../fixtures/oauth/gateway-login.ts';
import type {
  ProtectedMcpServer,
  ProtectedMcpServerOptions,
} from '../fixtures/oauth/protected-mcp-server.ts';
import { waitFor } from '../helpers/wait.ts';
import type { GatewayHarness } from './support/gateway-harness.ts';
import { oauthTestbed, textOf } from './support/oauth-testbed.ts';

const testbed = oauthTestbed();

interface Setup {
  as: AuthorizationServer;
  mcp: ProtectedMcpServer;
  h: GatewayHarness;
  client: Client;
  events: ServiceEvent[];
}

async function setup(
  asOptions: AuthorizationServerOptions = {},
  mcpOptions: Partial<ProtectedMcpServerOptions> = {},
): Promise<Setup> {
  const { as, mcp, h } = await testbed.remote(asOptions, mcpOptions);
  const events: ServiceEvent[] = [];
  h.core.services.onDidChange((event) => events.push(event));
  const { authorizationUrl } = await h.core.services['logins.start']({ name: 'remote' });
  expect((await completeLogin(authorizationUrl)).status).toBe(200);
  const { client } = await h.connect('remote', await h.addClient('c'));
  return { as, mcp, h, client, events };
}

/** Rewrites the stored login (what the gateway believes), leaving the authorization server alone. */
function rewriteTokens(h: GatewayHarness, change: (tokens: Record<string, unknown>) => void): void {
  const store = h.core.logins.store;
  const tokens = store.tokens('remote');
  if (!tokens) throw new Error('not logged in');
  const copy = { ...tokens } as unknown as Record<string, unknown>;
  change(copy);
  store.saveTokens('remote', copy as unknown as typeof tokens);
}

async function twentyCalls(client: Client): Promise<string[]> {
  return Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      client.callTool({ name: 'echo', arguments: { message: `call ${i}` } }).then(textOf),
    ),
  );
}

describe('staying logged in', () => {
  it('refreshes an expired access token once for 20 concurrent calls', async () => {
    const { as, mcp, h, client } = await setup();
    const refreshTokenBefore = h.core.logins.store.tokens('remote')?.refreshToken;
    rewriteTokens(h, (tokens) => {
      tokens.expiresAt = Date.now() - 1_000;
    });
    const refreshes = as.counters.refresh;
    const results = await twentyCalls(client);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => `call ${i}`));
    expect(as.counters.refresh - refreshes).toBe(1);
    const after = h.core.logins.store.tokens('remote');
    // The rotated refresh token was saved.
    expect(after?.refreshToken).toBeTruthy();
    expect(after?.refreshToken).not.toBe(refreshTokenBefore);
    expect(after?.expiresAt).toBeGreaterThan(Date.now());
    // RFC 8707: the code exchange and the refresh both named the server.
    expect(as.tokenResources).toEqual([mcp.url, mcp.url]);
  });

  it('refreshes once when the server answers 401 to a token the gateway thought valid', async () => {
    const { as, h, client } = await setup();
    rewriteTokens(h, (tokens) => {
      tokens.accessToken = 'eyJhbGciOiJub25lIn0.e30.invalid';
      tokens.expiresAt = Date.now() + 3_600_000;
    });
    const refreshes = as.counters.refresh;
    const results = await twentyCalls(client);
    expect(results).toHaveLength(20);
    expect(as.counters.refresh - refreshes).toBe(1);
  });

  it('keeps working across a real access token expiry', async () => {
    const { as, h, client } = await setup({ accessTokenTtlSeconds: 2 });
    const expiresAt = h.core.logins.store.tokens('remote')?.expiresAt ?? 0;
    await waitFor(() => Date.now() > expiresAt + 500, 10_000);
    const refreshes = as.counters.refresh;
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'later' } }))).toBe('later');
    expect(as.counters.refresh).toBeGreaterThan(refreshes);
  });

  it('a revoked refresh token gives the needs-login error at once; a new login recovers', async () => {
    const { as, h, client, events } = await setup();
    as.revokeRefreshTokens();
    rewriteTokens(h, (tokens) => {
      tokens.expiresAt = Date.now() - 1_000;
    });
    const failure = await client.callTool({ name: 'echo', arguments: { message: 'x' } }).then(
      () => undefined,
      (error: { code?: number; message?: string }) => error,
    );
    expect(failure?.code).toBe(-32012);
    expect(failure?.message).toContain('"remote"');
    expect(failure?.message).toMatch(/log in to it from Gatehouse/);
    expect((await h.core.services['logins.list']())[0]).toMatchObject({ state: 'needs-login' });
    expect((await h.core.services['servers.list']())[0]?.status).toBe('needs-login');
    expect(events).toContainEqual(expect.objectContaining({ type: 'login-needed', server: 'remote' }));
    // Further calls fail the same way, without another refresh attempt.
    const refreshes = as.counters.refresh;
    await expect(client.callTool({ name: 'echo', arguments: { message: 'y' } })).rejects.toMatchObject({
      code: -32012,
    });
    expect(as.counters.refresh).toBe(refreshes);

    const { authorizationUrl } = await h.core.services['logins.start']({ name: 'remote' });
    expect((await completeLogin(authorizationUrl)).status).toBe(200);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'back' } }))).toBe('back');
    expect((await h.core.services['servers.list']())[0]?.status).not.toBe('needs-login');
  });

  it('logout revokes and deletes the tokens', async () => {
    const { as, h, client } = await setup();
    const tokens = h.core.logins.store.tokens('remote');
    expect(tokens?.refreshToken).toBeTruthy();
    await h.core.services['logins.logout']({ name: 'remote' });
    expect(as.counters.revoke).toBeGreaterThanOrEqual(1);
    // The refresh token is dead at the authorization server too.
    expect(as.revokeRefreshTokens()).toBe(0);
    expect(h.core.logins.store.tokens('remote')).toBeUndefined();
    expect((await h.core.services['logins.list']())[0]).toMatchObject({ state: 'not-required' });
    await expect(client.callTool({ name: 'echo', arguments: { message: 'x' } })).rejects.toMatchObject({
      code: -32012,
    });
  });
});

describe('step-up on 403 insufficient_scope', () => {
  it('logs in again with the union of scopes and retries the call', async () => {
    const { as, h, client, events } = await setup(
      {},
      { stepUpTool: { name: 'admin_action', scope: 'mcp:admin' } },
    );
    const authorizations = as.counters.authorize;
    const call = client.callTool({ name: 'admin_action', arguments: {} });
    const status = await waitFor(async () => {
      const login = (await h.core.services['logins.list']())[0];
      return login?.state === 'in-progress' ? login : undefined;
    });
    const url = new URL(status.state === 'in-progress' ? status.authorizationUrl : '');
    expect(url.searchParams.get('scope')?.split(' ').sort()).toEqual(['mcp:admin', 'mcp:read']);
    expect(url.searchParams.get('resource')).toBe(h.core.settings.current.servers[0]?.url.replace(/\/$/, ''));
    expect(events).toContainEqual(expect.objectContaining({ type: 'login-needed', server: 'remote' }));
    expect((await completeLogin(url.href)).status).toBe(200);
    expect(textOf(await call)).toBe('admin_action ran with mcp:admin');
    expect(as.counters.authorize - authorizations).toBe(1);
    expect(h.core.logins.store.tokens('remote')?.scopes.sort()).toEqual(['mcp:admin', 'mcp:read']);
  });

  it('stops after the limit when the scope is never granted', async () => {
    const { as, h, client } = await setup({}, { stepUpTool: { name: 'super_action', scope: 'mcp:super' } });
    const authorizations = as.counters.authorize;
    let settled = false;
    const call = client.callTool({ name: 'super_action', arguments: {} }).then(
      (result) => ({ result }),
      (error: { code?: number; message?: string }) => ({ error }),
    );
    void call.then(() => (settled = true));
    const seen = new Set<string>();
    while (!settled) {
      const login = (await h.core.services['logins.list']())[0];
      if (login?.state === 'in-progress' && !seen.has(login.authorizationUrl)) {
        seen.add(login.authorizationUrl);
        await completeLogin(login.authorizationUrl);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const outcome = await call;
    expect('error' in outcome && outcome.error.message).toMatch(/permissions/);
    expect(seen.size).toBe(3);
    expect(as.counters.authorize - authorizations).toBe(3);
  });
});
