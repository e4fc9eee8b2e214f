import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAuthorizationServer,
  type AuthorizationServer,
} from '../fixtures/oauth/authorization-server.ts';
import { followAuthorizationRedirects } from '../fixtures/oauth/browser.ts';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../fixtures/oauth/protected-mcp-server.ts';
import { getFreePort } from '../helpers/free-port.ts';
import { oauthTestbed, textOf } from './support/oauth-testbed.ts';

// The fixture AS is plain http on loopback: allowed here, in tests only.
const insecure = { execute: [oidc.allowInsecureRequests] };

const { defer, authServer, mcpServer } = oauthTestbed();

/** Dynamic registration as a native public client with a loopback redirect URI. */
async function registerNativeClient(
  as: AuthorizationServer,
  extra: Partial<oidc.ClientMetadata> = {},
): Promise<{ config: oidc.Configuration; redirectUri: string }> {
  const redirectUri = `http://127.0.0.1:${await getFreePort()}/oauth/callback`;
  const config = await oidc.dynamicClientRegistration(
    new URL(as.issuer),
    {
      client_name: 'oauth fixture test',
      application_type: 'native',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...extra,
    },
    oidc.None(),
    insecure,
  );
  return { config, redirectUri };
}

/** Builds the authorization URL (PKCE S256 + resource) and plays the browser until the callback. */
async function authorize(
  config: oidc.Configuration,
  redirectUri: string,
  params: { resource: string; scope: string; verifier?: string; pkce?: boolean },
): Promise<{ callback: URL; verifier: string; state: string }> {
  const verifier = params.verifier ?? oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const query: Record<string, string> = {
    redirect_uri: redirectUri,
    scope: params.scope,
    resource: params.resource,
    state,
  };
  if (params.pkce ?? true) {
    query.code_challenge = await oidc.calculatePKCECodeChallenge(verifier);
    query.code_challenge_method = 'S256';
  }
  const callback = await followAuthorizationRedirects(oidc.buildAuthorizationUrl(config, query));
  return { callback, verifier, state };
}

/** The whole authorization code + PKCE flow, ending with the token response. */
async function obtainTokens(
  config: oidc.Configuration,
  redirectUri: string,
  resource: string,
  scope = 'mcp:read',
): Promise<oidc.TokenEndpointResponse> {
  const { callback, verifier, state } = await authorize(config, redirectUri, { resource, scope });
  return oidc.authorizationCodeGrant(
    config,
    callback,
    { pkceCodeVerifier: verifier, expectedState: state },
    { resource },
  );
}

/**
 * Discovers `as`, registers a native client and plays an authorization request without PKCE:
 * the advertised metadata and the callback.
 */
async function authorizeWithoutPkce(
  as: AuthorizationServer,
): Promise<{ metadata: oidc.ServerMetadata; callback: URL }> {
  const config = await oidc.discovery(new URL(as.issuer), 'unused', undefined, undefined, insecure);
  const { config: client, redirectUri } = await registerNativeClient(as);
  const { callback } = await authorize(client, redirectUri, {
    resource: 'http://127.0.0.1:1/mcp',
    scope: 'mcp:read',
    pkce: false,
  });
  return { metadata: config.serverMetadata(), callback };
}

async function connectMcp(url: string, accessToken: string): Promise<Client> {
  const client = new Client({ name: 'oauth-fixtures-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${accessToken}` } },
    }),
  );
  defer(() => client.close());
  return client;
}

async function postInitialize(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'raw', version: '1.0.0' },
      },
    }),
  });
}

describe('fixture authorization server: discovery', () => {
  it('serves RFC 8414 and OIDC metadata for an issuer without a path', async () => {
    const as = await authServer();
    const oauth = await oidc.discovery(new URL(as.issuer), 'unused', undefined, undefined, {
      ...insecure,
      algorithm: 'oauth2',
    });
    const openid = await oidc.discovery(new URL(as.issuer), 'unused', undefined, undefined, insecure);
    for (const config of [oauth, openid]) {
      const metadata = config.serverMetadata();
      expect(metadata.issuer).toBe(as.issuer);
      expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
      expect(metadata.registration_endpoint).toBe(`${as.issuer}/reg`);
      expect(metadata.revocation_endpoint).toBe(`${as.issuer}/token/revocation`);
      expect(metadata.grant_types_supported).toEqual(['authorization_code', 'refresh_token']);
      expect(metadata.response_types_supported).toEqual(['code']);
      expect(metadata.scopes_supported).toEqual(
        expect.arrayContaining(['mcp:read', 'mcp:write', 'mcp:admin']),
      );
    }
  });

  it('serves all three discovery URLs for an issuer with a path', async () => {
    const as = await authServer({ issuerPath: '/tenant1' });
    expect(as.issuer).toBe(`${as.url}/tenant1`);
    for (const path of [
      '/.well-known/oauth-authorization-server/tenant1',
      '/.well-known/openid-configuration/tenant1',
      '/tenant1/.well-known/openid-configuration',
    ]) {
      const response = await fetch(`${as.url}${path}`);
      expect(response.status, path).toBe(200);
      const metadata = (await response.json()) as Record<string, unknown>;
      expect(metadata.issuer).toBe(as.issuer);
      expect(metadata.token_endpoint).toBe(`${as.issuer}/token`);
      expect(metadata.authorization_endpoint).toBe(`${as.issuer}/auth`);
    }
    // The root forms belong to no issuer here.
    expect((await fetch(`${as.url}/.well-known/oauth-authorization-server`)).status).toBe(404);
    expect((await fetch(`${as.url}/.well-known/openid-configuration`)).status).toBe(404);
    // openid-client resolves both transformation algorithms to the path issuer.
    for (const algorithm of ['oauth2', 'oidc'] as const) {
      const config = await oidc.discovery(new URL(as.issuer), 'unused', undefined, undefined, {
        ...insecure,
        algorithm,
      });
      expect(config.serverMetadata().issuer).toBe(as.issuer);
    }
  });

  it('serves only the documents the discovery option names', async () => {
    const oauthOnly = await authServer({ discovery: 'oauth', issuerPath: '/t' });
    expect((await fetch(`${oauthOnly.url}/.well-known/oauth-authorization-server/t`)).status).toBe(200);
    expect((await fetch(`${oauthOnly.url}/.well-known/openid-configuration/t`)).status).toBe(404);
    expect((await fetch(`${oauthOnly.url}/t/.well-known/openid-configuration`)).status).toBe(404);

    const oidcOnly = await authServer({ discovery: 'oidc' });
    expect((await fetch(`${oidcOnly.url}/.well-known/oauth-authorization-server`)).status).toBe(404);
    expect((await fetch(`${oidcOnly.url}/.well-known/openid-configuration`)).status).toBe(200);
  });

  it('omits code_challenge_methods_supported on request but still requires PKCE', async () => {
    const { metadata, callback } = await authorizeWithoutPkce(
      await authServer({ omitCodeChallengeMethods: true }),
    );
    expect(metadata).not.toHaveProperty('code_challenge_methods_supported');
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('with pkce: false neither requires nor advertises PKCE', async () => {
    const { metadata, callback } = await authorizeWithoutPkce(await authServer({ pkce: false }));
    expect(metadata).not.toHaveProperty('code_challenge_methods_supported');
    expect(callback.searchParams.get('code')).toBeTruthy();
  });
});

describe('fixture authorization server + protected MCP server', () => {
  let as: AuthorizationServer;
  let mcp: ProtectedMcpServer;

  beforeAll(async () => {
    as = await startAuthorizationServer();
    mcp = await startProtectedMcpServer({
      issuer: as.issuer,
      requiredScopes: ['mcp:read'],
      stepUpTool: { name: 'admin_action', scope: 'mcp:admin' },
    });
  });
  afterAll(async () => {
    await mcp?.close();
    await as?.close();
  });

  it('registers a native client, runs code + PKCE with resource, and calls the MCP server', async () => {
    const before = { ...as.counters };
    const { config, redirectUri } = await registerNativeClient(as);
    expect(config.clientMetadata().application_type).toBe('native');
    expect(config.clientMetadata().redirect_uris).toEqual([redirectUri]);
    expect(config.clientMetadata().grant_types).toEqual(['authorization_code', 'refresh_token']);

    const { callback, verifier, state } = await authorize(config, redirectUri, {
      resource: mcp.url,
      scope: 'mcp:read',
    });
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('iss')).toBe(as.issuer);
    const tokens = await oidc.authorizationCodeGrant(
      config,
      callback,
      { pkceCodeVerifier: verifier, expectedState: state },
      { resource: mcp.url },
    );
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.refresh_token).toBeTruthy();
    expect(decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt');
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({
      iss: as.issuer,
      aud: mcp.url,
      sub: 'gatehouse-test-user',
      scope: 'mcp:read',
      client_id: config.clientMetadata().client_id,
    });
    expect(as.counters).toEqual({
      token: before.token + 1,
      refresh: before.refresh,
      register: before.register + 1,
      authorize: before.authorize + 1,
      revoke: before.revoke,
    });

    const seenBefore = mcp.seenAuthorization.length;
    const client = await connectMcp(mcp.url, tokens.access_token);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['admin_action', 'echo', 'whoami']);
    const whoami = await client.callTool({ name: 'whoami', arguments: {} });
    expect(JSON.parse(textOf(whoami))).toEqual({
      sub: 'gatehouse-test-user',
      scopes: ['mcp:read'],
      client_id: config.clientMetadata().client_id,
    });
    const echo = await client.callTool({ name: 'echo', arguments: { message: 'hello' } });
    expect(textOf(echo)).toBe('hello');
    const seen = mcp.seenAuthorization.slice(seenBefore);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen)).toEqual(new Set([`Bearer ${tokens.access_token}`]));
  });

  it('answers 401 with resource_metadata and scope without a token, and serves that PRM document', async () => {
    const response = await postInitialize(mcp.url);
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(`resource_metadata="${mcp.resourceMetadataUrl}"`);
    expect(challenge).toContain('scope="mcp:read"');
    expect(challenge).not.toContain('error=');

    const prm = (await (await fetch(mcp.resourceMetadataUrl)).json()) as Record<string, unknown>;
    expect(prm).toMatchObject({
      resource: mcp.url,
      authorization_servers: [as.issuer],
      scopes_supported: ['mcp:read', 'mcp:admin'],
    });
    // In header mode the document is only where the header points.
    expect((await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcp.url))).status).toBe(404);
    expect((await fetch(new URL('/.well-known/oauth-protected-resource', mcp.url))).status).toBe(404);
  });

  it('refuses tokens for another audience, from another issuer, and non-JWT tokens with invalid_token', async () => {
    const { config, redirectUri } = await registerNativeClient(as);
    const otherAudience = await obtainTokens(config, redirectUri, 'http://127.0.0.1:1/mcp');
    expect(decodeJwt(otherAudience.access_token).aud).toBe('http://127.0.0.1:1/mcp');

    const otherAs = await authServer();
    const other = await registerNativeClient(otherAs);
    const otherIssuer = await obtainTokens(other.config, other.redirectUri, mcp.url);

    for (const token of [otherAudience.access_token, otherIssuer.access_token, 'not-a-jwt']) {
      const response = await postInitialize(mcp.url, { authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
      const challenge = response.headers.get('www-authenticate') ?? '';
      expect(challenge).toContain('error="invalid_token"');
      expect(challenge).toContain(`resource_metadata="${mcp.resourceMetadataUrl}"`);
    }
  });

  it('rotates refresh tokens and refuses a rotated one', async () => {
    const { config, redirectUri } = await registerNativeClient(as);
    const tokens = await obtainTokens(config, redirectUri, mcp.url);
    const refreshesBefore = as.counters.refresh;

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '', { resource: mcp.url });
    expect(as.counters.refresh).toBe(refreshesBefore + 1);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(decodeJwt(refreshed.access_token).aud).toBe(mcp.url);
    const client = await connectMcp(mcp.url, refreshed.access_token);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'again' } }))).toBe('again');

    await expect(
      oidc.refreshTokenGrant(config, tokens.refresh_token ?? '', { resource: mcp.url }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    // oidc-provider treats reuse of a rotated refresh token as theft and revokes the whole grant.
    await expect(
      oidc.refreshTokenGrant(config, refreshed.refresh_token ?? '', { resource: mcp.url }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('fails the next refresh after revokeRefreshTokens()', async () => {
    const { config, redirectUri } = await registerNativeClient(as);
    const tokens = await obtainTokens(config, redirectUri, mcp.url);
    expect(as.revokeRefreshTokens()).toBeGreaterThanOrEqual(1);
    const refreshesBefore = as.counters.refresh;
    await expect(
      oidc.refreshTokenGrant(config, tokens.refresh_token ?? '', { resource: mcp.url }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(as.counters.refresh).toBe(refreshesBefore + 1);
  });

  it('refuses a code redeemed with the wrong PKCE verifier', async () => {
    const { config, redirectUri } = await registerNativeClient(as);
    const { callback, state } = await authorize(config, redirectUri, {
      resource: mcp.url,
      scope: 'mcp:read',
    });
    await expect(
      oidc.authorizationCodeGrant(
        config,
        callback,
        { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: state },
        { resource: mcp.url },
      ),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses an authorization request without PKCE', async () => {
    const { config, redirectUri } = await registerNativeClient(as);
    const { callback } = await authorize(config, redirectUri, {
      resource: mcp.url,
      scope: 'mcp:read',
      pkce: false,
    });
    expect(callback.searchParams.get('code')).toBeNull();
    expect(callback.searchParams.get('error')).toBe('invalid_request');
  });

  it('answers the step-up tool with 403 insufficient_scope until the scope is granted', async () => {
    const { config, redirectUri } = await registerNativeClient(as);
    const narrow = await obtainTokens(config, redirectUri, mcp.url, 'mcp:read');
    const client = await connectMcp(mcp.url, narrow.access_token);
    const transport = client.transport as StreamableHTTPClientTransport;

    const response = await fetch(mcp.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${narrow.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': transport.sessionId ?? '',
        'mcp-protocol-version': transport.protocolVersion ?? LATEST_PROTOCOL_VERSION,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 99,
        method: 'tools/call',
        params: { name: 'admin_action', arguments: {} },
      }),
    });
    expect(response.status).toBe(403);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="mcp:read mcp:admin"');
    expect(challenge).toContain(`resource_metadata="${mcp.resourceMetadataUrl}"`);
    // Other tools still work with the narrow token.
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'x' } }))).toBe('x');

    const wide = await obtainTokens(config, redirectUri, mcp.url, 'mcp:read mcp:admin');
    expect(decodeJwt(wide.access_token).scope).toBe('mcp:read mcp:admin');
    const stepped = await connectMcp(mcp.url, wide.access_token);
    expect(textOf(await stepped.callTool({ name: 'admin_action', arguments: {} }))).toBe(
      'admin_action ran with mcp:admin',
    );
  });
});

describe('fixture options', () => {
  it('advertises PRM at the path-form or root-form well-known URL only, without resource_metadata', async () => {
    const as = await authServer();
    for (const prmMode of ['path', 'root'] as const) {
      const mcp = await mcpServer({ issuer: as.issuer, prmMode });
      const response = await postInitialize(mcp.url);
      expect(response.status).toBe(401);
      const challenge = response.headers.get('www-authenticate') ?? '';
      expect(challenge).not.toContain('resource_metadata');
      expect(challenge).toContain('scope="mcp:read"');
      const pathForm = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcp.url));
      const rootForm = await fetch(new URL('/.well-known/oauth-protected-resource', mcp.url));
      expect([pathForm.status, rootForm.status]).toEqual(prmMode === 'path' ? [200, 404] : [404, 200]);
      const prm = (await (prmMode === 'path' ? pathForm : rootForm).json()) as Record<string, unknown>;
      expect(prm).toMatchObject({ resource: mcp.url, authorization_servers: [as.issuer] });
    }
  });

  it('works with a path issuer, pre-registered client, no DCR and a custom access token lifetime', async () => {
    const redirectUri = `http://127.0.0.1:${await getFreePort()}/oauth/callback`;
    const as = await authServer({
      issuerPath: '/tenant1',
      dynamicRegistration: false,
      accessTokenTtlSeconds: 120,
      clients: [
        {
          client_id: 'pre-registered',
          application_type: 'native',
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_method: 'none',
        },
      ],
    });
    const config = await oidc.discovery(new URL(as.issuer), 'pre-registered', undefined, oidc.None(), {
      ...insecure,
      algorithm: 'oauth2',
    });
    expect(config.serverMetadata().registration_endpoint).toBeUndefined();
    const registration = await fetch(`${as.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [redirectUri] }),
    });
    expect(registration.status).toBe(404);

    const mcp = await mcpServer({ issuer: as.issuer, jwksUri: as.jwksUri });
    const tokens = await obtainTokens(config, redirectUri, mcp.url);
    expect(tokens.expires_in).toBe(120);
    const claims = decodeJwt(tokens.access_token);
    expect(claims.iss).toBe(as.issuer);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(120);
    const client = await connectMcp(mcp.url, tokens.access_token);
    expect(JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} })))).toMatchObject({
      client_id: 'pre-registered',
    });
  });

  it('without resource indicators issues opaque tokens that the MCP server refuses', async () => {
    const as = await authServer({ resourceIndicators: false });
    const mcp = await mcpServer({ issuer: as.issuer });
    const { config, redirectUri } = await registerNativeClient(as);
    const tokens = await obtainTokens(config, redirectUri, mcp.url);
    expect(tokens.access_token.split('.')).toHaveLength(1);
    const response = await postInitialize(mcp.url, { authorization: `Bearer ${tokens.access_token}` });
    expect(response.status).toBe(401);
  });

  it('refuses resources that are not on a loopback host', async () => {
    const as = await authServer();
    const { config, redirectUri } = await registerNativeClient(as);
    const { callback } = await authorize(config, redirectUri, {
      resource: 'https://mcp.example.com/mcp',
      scope: 'mcp:read',
    });
    expect(callback.searchParams.get('error')).toBe('invalid_target');
  });
  it('lets a client registered with one scope ask for more, unless restrictToRegisteredScope', async () => {
    const lenient = await authServer();
    const registered = await registerNativeClient(lenient, { scope: 'mcp:read' });
    const { callback } = await authorize(registered.config, registered.redirectUri, {
      resource: 'http://127.0.0.1:1/mcp',
      scope: 'mcp:read mcp:admin',
    });
    expect(callback.searchParams.get('code')).toBeTruthy();

    const strict = await authServer({ restrictToRegisteredScope: true });
    const restricted = await registerNativeClient(strict, { scope: 'mcp:read' });
    const refused = await authorize(restricted.config, restricted.redirectUri, {
      resource: 'http://127.0.0.1:1/mcp',
      scope: 'mcp:read mcp:admin',
    });
    expect(refused.callback.searchParams.get('error')).toBe('invalid_scope');
  });

  it("completes the SDK's own OAuth client flow (DCR, PKCE, resource) in every PRM mode", async () => {
    const as = await authServer({ issuerPath: '/tenant1' });
    for (const prmMode of ['header', 'path', 'root'] as const) {
      const mcp = await mcpServer({ issuer: as.issuer, prmMode });
      const redirectUri = `http://127.0.0.1:${await getFreePort()}/oauth/callback`;
      const saved: { client?: unknown; tokens?: unknown; verifier?: string; code?: string } = {};
      const provider: OAuthClientProvider = {
        redirectUrl: redirectUri,
        clientMetadata: {
          client_name: 'sdk fixture test',
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        },
        clientInformation: () => saved.client as ReturnType<OAuthClientProvider['clientInformation']>,
        saveClientInformation: (info) => {
          saved.client = info;
        },
        tokens: () => saved.tokens as ReturnType<OAuthClientProvider['tokens']>,
        saveTokens: (tokens) => {
          saved.tokens = tokens;
        },
        redirectToAuthorization: async (url) => {
          saved.code = (await followAuthorizationRedirects(url)).searchParams.get('code') ?? undefined;
        },
        saveCodeVerifier: (verifier) => {
          saved.verifier = verifier;
        },
        codeVerifier: () => saved.verifier ?? '',
      };
      const first = new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider });
      await expect(new Client({ name: 'sdk', version: '1.0.0' }).connect(first)).rejects.toBeInstanceOf(
        UnauthorizedError,
      );
      await first.finishAuth(saved.code ?? '');
      const client = new Client({ name: 'sdk', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider }));
      defer(() => client.close());
      const whoami = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
        scopes: string[];
      };
      expect(whoami.scopes, prmMode).toEqual(['mcp:read']);
    }
    expect(as.counters.register).toBe(3);
  });
});
