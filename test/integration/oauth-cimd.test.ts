import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeZodError } from '../../electron/main/store/settings-store.ts';
import type { AuthorizationServerOptions } from '../fixtures/oauth/authorization-server.ts';
import { completeLogin } from '../fixtures/oauth/gateway-login.ts';
import type { GatewayHarness } from './support/gateway-harness.ts';
import { oauthTestbed, textOf } from './support/oauth-testbed.ts';

const { authServer, mcpServer, gateway } = oauthTestbed();

/** The Client ID Metadata Document URL Gatehouse is configured with (served by the fixture AS's fetch). */
const METADATA_URL = 'https://gatehouse.example/oauth/client-metadata.json';

/** Gatehouse's Client ID Metadata Document: a public native client with a loopback redirect URI. */
const DOCUMENT = {
  client_id: METADATA_URL,
  client_name: 'Gatehouse',
  application_type: 'native',
  // oidc-provider ignores the port of a native client's loopback redirect URI (RFC 8252 §7.3).
  redirect_uris: ['http://127.0.0.1/oauth/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

/** An AS (with dynamic registration), an MCP server it protects, and a gateway with that server as "remote". */
async function setup(asOptions: AuthorizationServerOptions, auth: { clientId?: string } = {}) {
  const as = await authServer(asOptions);
  const mcp = await mcpServer({ issuer: as.issuer });
  const h = await gateway();
  await h.core.services['servers.add']({
    name: 'remote',
    url: mcp.url,
    auth: { clientMetadataUrl: METADATA_URL, ...auth },
  });
  return { as, mcp, h };
}

/** Connects an MCP client to the gateway's "remote" endpoint; returns a `whoami` that gives the token's client_id. */
async function connectRemote(h: GatewayHarness): Promise<() => Promise<string>> {
  const { client } = await h.connect('remote', await h.addClient('c'));
  return async () => {
    const whoami = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
      client_id: string;
    };
    return whoami.client_id;
  };
}

async function whoamiClientId(h: GatewayHarness): Promise<string> {
  return (await connectRemote(h))();
}

describe('OAuth client registration with a Client ID Metadata Document', () => {
  it('uses the metadata document URL as client_id when the AS supports it, and never registers', async () => {
    const { as, mcp, h } = await setup({ clientIdMetadataDocuments: { [METADATA_URL]: DOCUMENT } });

    const { authorizationUrl } = await h.core.services['logins.start']({ name: 'remote' });
    const url = new URL(authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${as.issuer}/auth`);
    const params = url.searchParams;
    expect(params.get('client_id')).toBe(METADATA_URL);
    expect(params.get('response_type')).toBe('code');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(params.get('resource')).toBe(mcp.url);
    expect(params.get('redirect_uri')).toBe(`http://127.0.0.1:${h.port}/oauth/callback`);
    expect(params.has('client_secret')).toBe(false);
    expect(as.counters.register).toBe(0);

    // The whole login works against oidc-provider's own CIMD support, which fetched the document.
    const visit = await completeLogin(authorizationUrl);
    expect(visit.status).toBe(200);
    expect(as.metadataDocumentFetches).toContain(METADATA_URL);
    expect((await h.core.services['logins.list']())[0]).toMatchObject({
      server: 'remote',
      state: 'logged-in',
      issuer: as.issuer,
    });
    expect(h.core.logins.store.tokens('remote')).toMatchObject({
      clientId: METADATA_URL,
      authMethod: 'none',
    });
    expect(h.core.logins.store.registration(as.issuer)).toBeUndefined();
    const whoami = await connectRemote(h);
    expect(await whoami()).toBe(METADATA_URL);

    // Refreshing uses the same client id (a public client: no secret).
    const tokens = h.core.logins.store.tokens('remote')!;
    h.core.logins.store.saveTokens('remote', { ...tokens, expiresAt: Date.now() - 1000 });
    expect(await whoami()).toBe(METADATA_URL);
    expect(as.counters.refresh).toBe(1);
    expect(as.counters.register).toBe(0);
  });

  it.each([
    ['absent', {}],
    ['false', { metadataOverrides: { client_id_metadata_document_supported: false } }],
    ['not a boolean', { metadataOverrides: { client_id_metadata_document_supported: 'true' } }],
  ] as const)(
    'falls back to dynamic registration when the support flag is %s',
    async (_flag, asOptions: AuthorizationServerOptions) => {
      const { as, h } = await setup(asOptions);
      const { authorizationUrl } = await h.core.services['logins.start']({ name: 'remote' });
      const clientId = new URL(authorizationUrl).searchParams.get('client_id');
      expect(as.counters.register).toBe(1);
      expect(clientId).toBeTruthy();
      expect(clientId).not.toBe(METADATA_URL);
      expect(h.core.logins.store.registration(as.issuer)?.clientId).toBe(clientId);

      expect((await completeLogin(authorizationUrl)).status).toBe(200);
      expect(await whoamiClientId(h)).toBe(clientId);
      expect(as.metadataDocumentFetches).toEqual([]);
    },
  );

  it('prefers a client id the person entered over the metadata document and registration', async () => {
    const h = await gateway();
    const as = await authServer({
      clientIdMetadataDocuments: { [METADATA_URL]: DOCUMENT },
      clients: [
        {
          client_id: 'entered-by-hand',
          redirect_uris: [`http://127.0.0.1:${h.port}/oauth/callback`],
          grant_types: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_method: 'none',
          application_type: 'native',
        },
      ],
    });
    const mcp = await mcpServer({ issuer: as.issuer });
    await h.core.services['servers.add']({
      name: 'remote',
      url: mcp.url,
      auth: { clientId: 'entered-by-hand', clientMetadataUrl: METADATA_URL },
    });

    const { authorizationUrl } = await h.core.services['logins.start']({ name: 'remote' });
    expect(new URL(authorizationUrl).searchParams.get('client_id')).toBe('entered-by-hand');
    expect((await completeLogin(authorizationUrl)).status).toBe(200);
    expect(await whoamiClientId(h)).toBe('entered-by-hand');
    expect(as.counters.register).toBe(0);
    expect(as.metadataDocumentFetches).toEqual([]);
  });

  it('refuses a metadata document URL that is not https', async () => {
    const h = await gateway();
    for (const clientMetadataUrl of ['http://gatehouse.example/client.json', 'not a url']) {
      const failure = await h.core.services['servers.add']({
        name: 'plain',
        url: 'http://127.0.0.1:9/mcp',
        auth: { clientMetadataUrl },
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(z.ZodError);
      expect(describeZodError(failure as z.ZodError)).toMatch(
        /^auth\.clientMetadataUrl: must be an https URL/,
      );
    }
    expect(await h.core.services['servers.list']()).toEqual([]);
  });
});
