import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { completeLogin, visitCallback } from '../fixtures/oauth/gateway-login.ts';
import type { GatewayHarness } from './support/gateway-harness.ts';
import { oauthTestbed, textOf } from './support/oauth-testbed.ts';
import { INITIALIZE, mcpHeaders, rawRequest } from './support/raw-http.ts';

const { authServer, mcpServer, gateway, remote } = oauthTestbed();

async function login(h: GatewayHarness, server: string): Promise<Awaited<ReturnType<typeof completeLogin>>> {
  const { authorizationUrl } = await h.core.services['logins.start']({ name: server });
  return completeLogin(authorizationUrl);
}

describe('OAuth login through the gateway', () => {
  it('logs in with DCR + PKCE + resource, then calls carry the server token and never the client token', async () => {
    const { as, mcp, h } = await remote();
    const token = await h.addClient('test-client');

    // Before the login: a clear error naming the server, and the status says so.
    const before = await rawRequest(h.port, {
      path: '/mcp/remote',
      headers: mcpHeaders(h.port, token),
      body: INITIALIZE,
    });
    const refused = before.json() as { error: { code: number; message: string } };
    expect(refused.error.code).toBe(-32012);
    expect(refused.error.message).toContain('"remote"');
    expect(refused.error.message).toMatch(/log in/);
    expect((await h.core.services['servers.list']())[0]?.status).toBe('needs-login');
    expect((await h.core.services['logins.list']())[0]).toMatchObject({ state: 'needs-login' });

    const visit = await login(h, 'remote');
    expect(visit.status).toBe(200);
    expect(visit.body).toContain('You can close this tab');
    expect(visit.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(visit.callback.searchParams.get('code')).toBeTruthy();
    expect(visit.callback.searchParams.get('iss')).toBe(as.issuer);

    const status = (await h.core.services['logins.list']())[0];
    expect(status).toMatchObject({
      server: 'remote',
      state: 'logged-in',
      issuer: as.issuer,
      scopes: ['mcp:read'],
      refreshable: true,
    });
    expect((await h.core.services['servers.list']())[0]?.status).not.toBe('needs-login');

    const { client } = await h.connect('remote', token);
    const whoami = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
      sub: string;
      scopes: string[];
    };
    expect(whoami).toMatchObject({ sub: 'gatehouse-test-user', scopes: ['mcp:read'] });
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'hi' } }))).toBe('hi');

    const bearer = mcp.seenAuthorization.filter((value) => value.startsWith('Bearer '));
    expect(bearer.length).toBeGreaterThan(0);
    for (const value of mcp.seenAuthorization) expect(value).not.toContain(token);
    const accessToken = bearer.at(-1)!.slice('Bearer '.length);
    expect(decodeJwt(accessToken)).toMatchObject({ aud: mcp.url, iss: as.issuer });
    expect(as.counters.register).toBe(1);
  });

  it('refuses a callback whose state is unknown, and a replayed one', async () => {
    const { h } = await remote();
    const { authorizationUrl } = await h.core.services['logins.start']({ name: 'remote' });
    const wrongState = await completeLogin(authorizationUrl, {
      tamper: (callback) => {
        callback.searchParams.set('state', 'not-the-state<script>');
        return callback;
      },
    });
    expect(wrongState.status).toBe(400);
    expect(wrongState.body).not.toContain('<script>');
    // The pending login is untouched by a wrong state: the real callback still works, once.
    const real = await completeLogin(authorizationUrl);
    expect(real.status).toBe(200);
    const replay = await visitCallback(real.callback);
    expect(replay.status).toBe(400);
    expect((await h.core.services['logins.list']())[0]).toMatchObject({ state: 'logged-in' });
  });

  it('sends resource and the challenged scope in the authorization request, and one flow per server', async () => {
    const { as, mcp, h } = await remote({}, { requiredScopes: ['mcp:read', 'mcp:write'] });
    const [first, second] = await Promise.all([
      h.core.services['logins.start']({ name: 'remote' }),
      h.core.services['logins.start']({ name: 'remote' }),
    ]);
    expect(second.authorizationUrl).toBe(first.authorizationUrl);
    const url = new URL(first.authorizationUrl);
    expect(url.searchParams.get('resource')).toBe(mcp.url);
    expect(url.searchParams.get('scope')).toBe('mcp:read mcp:write');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${h.port}/oauth/callback`);
    expect((await h.core.services['logins.list']())[0]).toMatchObject({
      state: 'in-progress',
      authorizationUrl: first.authorizationUrl,
    });
    expect((await completeLogin(first.authorizationUrl)).status).toBe(200);
    expect(as.counters.register).toBe(1);
  });

  it.each([
    ['header', 'both', ''],
    ['path', 'oauth', '/tenant1'],
    ['root', 'oidc', '/tenant1'],
    ['header', 'oidc', ''],
    ['path', 'oidc-appended', '/tenant1'],
  ] as const)(
    'discovers PRM via %s form and AS metadata served as %s (issuer path "%s")',
    async (prmMode, discovery, issuerPath) => {
      const { h } = await remote({ discovery, issuerPath }, { prmMode });
      expect((await login(h, 'remote')).status).toBe(200);
      const token = await h.addClient('c');
      const { client } = await h.connect('remote', token);
      expect(textOf(await client.callTool({ name: 'echo', arguments: { message: prmMode } }))).toBe(prmMode);
    },
  );

  it('uses a client id and secret entered by the person when the AS has no dynamic registration', async () => {
    const h = await gateway();
    const redirectUri = `http://127.0.0.1:${h.port}/oauth/callback`;
    const as = await authServer({
      dynamicRegistration: false,
      clients: [
        {
          client_id: 'entered-by-hand',
          client_secret: 'entered-secret-value-0123456789',
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_method: 'client_secret_basic',
          application_type: 'native',
        },
      ],
    });
    const mcp = await mcpServer({ issuer: as.issuer });
    await h.core.services['servers.add']({ name: 'nodcr', url: mcp.url, auth: {} });
    await expect(h.core.services['logins.start']({ name: 'nodcr' })).rejects.toThrow(
      /does not offer dynamic client registration.*--client-id/,
    );
    await h.core.services['servers.add']({
      name: 'manual',
      url: mcp.url,
      auth: { clientId: 'entered-by-hand' },
      clientSecret: 'entered-secret-value-0123456789',
    });
    expect((await login(h, 'manual')).status).toBe(200);
    const { client } = await h.connect('manual', await h.addClient('c'));
    const whoami = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
      client_id: string;
    };
    expect(whoami.client_id).toBe('entered-by-hand');
    expect(as.counters.register).toBe(0);
  });

  it('rejects a code obtained with another PKCE challenge (code injection)', async () => {
    const { as, h } = await remote();
    const { authorizationUrl } = await h.core.services['logins.start']({ name: 'remote' });
    const injected = new URL(authorizationUrl);
    // An attacker's own authorization request, with the victim's state but the attacker's challenge.
    injected.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const visit = await completeLogin(injected.href);
    expect(visit.status).toBe(400);
    expect(visit.body).toMatch(/invalid_grant/);
    expect((await h.core.services['logins.list']())[0]).toMatchObject({ state: 'error' });
    expect(as.counters.token).toBe(1);
  });

  it('rejects an authorization response from another issuer, or without iss when the AS promises it', async () => {
    const { as, h } = await remote();
    const tokenRequests = as.counters.token;
    for (const tamper of [
      (callback: URL) => (callback.searchParams.set('iss', 'https://evil.example'), callback),
      (callback: URL) => (callback.searchParams.delete('iss'), callback),
    ]) {
      const { authorizationUrl } = await h.core.services['logins.start']({ name: 'remote' });
      const visit = await completeLogin(authorizationUrl, { tamper });
      expect(visit.status).toBe(400);
      const status = (await h.core.services['logins.list']())[0];
      expect(status).toMatchObject({ state: 'error' });
      expect(status?.state === 'error' && status.reason).toMatch(/iss (mismatch|missing)/);
    }
    // The code was never redeemed.
    expect(as.counters.token).toBe(tokenRequests);
  });

  it('refuses an AS whose metadata does not list S256, unless the server opts in', async () => {
    const as = await authServer({ omitCodeChallengeMethods: true });
    const mcp = await mcpServer({ issuer: as.issuer });
    const h = await gateway();
    await h.addServer('strict', mcp.url);
    await expect(h.core.services['logins.start']({ name: 'strict' })).rejects.toThrow(/S256/);
    await h.core.services['servers.add']({ name: 'lenient', url: mcp.url, auth: { allowMissingS256: true } });
    const { authorizationUrl } = await h.core.services['logins.start']({ name: 'lenient' });
    expect(new URL(authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256');
    expect((await completeLogin(authorizationUrl)).status).toBe(200);
  });

  it.each([
    'javascript:alert(1)',
    'file:///etc/passwd',
    'https://a.example/$(calc)',
    'https://a.example/`whoami`',
    'https://a.example/"; Start-Process calc; "',
    'calc.exe',
  ])('refuses the authorization endpoint %s', async (endpoint) => {
    const { as, h } = await remote({ metadataOverrides: { authorization_endpoint: endpoint } });
    await expect(h.core.services['logins.start']({ name: 'remote' })).rejects.toThrow(
      /refused the authorization endpoint/,
    );
    expect(as.counters.register).toBe(0);
    expect(as.counters.authorize).toBe(0);
  });

  it('refuses AS metadata whose issuer is not the one it was looked up for', async () => {
    const { h } = await remote({ metadataOverrides: { issuer: 'http://127.0.0.1:1' } });
    await expect(h.core.services['logins.start']({ name: 'remote' })).rejects.toThrow(/names the issuer/);
  });

  it("never sends one server's token to another server of the same authorization server", async () => {
    const as = await authServer();
    const a = await mcpServer({ issuer: as.issuer });
    const b = await mcpServer({ issuer: as.issuer });
    const h = await gateway();
    await h.addServer('server-a', a.url);
    await h.addServer('server-b', b.url);
    expect((await login(h, 'server-a')).status).toBe(200);
    const token = await h.addClient('c');
    const { client } = await h.connect('server-a', token);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'a' } }))).toBe('a');
    await expect(h.connect('server-b', token)).rejects.toThrow(/requires a login/);
    expect(b.seenAuthorization).toEqual([]);
    // One registration per issuer, reused by the second server's login.
    expect((await login(h, 'server-b')).status).toBe(200);
    expect(as.counters.register).toBe(1);
    const other = await h.connect('server-b', token);
    expect(textOf(await other.client.callTool({ name: 'echo', arguments: { message: 'b' } }))).toBe('b');
    const aTokens = new Set(a.seenAuthorization);
    for (const header of b.seenAuthorization) expect(aTokens.has(header)).toBe(false);
  });

  it('refuses Protected Resource Metadata that describes another resource', async () => {
    const { as, h } = await remote({}, { prmResource: 'https://other.example/mcp' });
    await expect(h.core.services['logins.start']({ name: 'remote' })).rejects.toThrow(
      /is for another resource/,
    );
    expect(as.counters.register).toBe(0);
  });
});
