import dns from 'node:dns';
import fs from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { redactForLog } from '../../../electron/main/base/logger.ts';
import { serverSecretPrefix } from '../../../electron/main/gateway/server-secrets.ts';
import { callbackPage, escapeHtml } from '../../../electron/main/oauth/callback-route.ts';
import {
  authServerMetadataUrls,
  protectedResourceMetadataUrls,
} from '../../../electron/main/oauth/discovery.ts';
import { checkIssuer, type FlowSecrets } from '../../../electron/main/oauth/login-flow.ts';
import { createSafeFetch, OAuthError } from '../../../electron/main/oauth/safe-fetch.ts';
import { TokenStore, type StoredTokens } from '../../../electron/main/oauth/token-store.ts';
import { FileSecretStore } from '../../../electron/main/store/secret-store.ts';
import { listenOnLoopback } from '../../fixtures/http-utils.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('discovery URLs', () => {
  it('tries the PRM path form before the root form, and only the root form for a bare origin', () => {
    expect(protectedResourceMetadataUrls('https://mcp.example.com/public/mcp')).toEqual([
      'https://mcp.example.com/.well-known/oauth-protected-resource/public/mcp',
      'https://mcp.example.com/.well-known/oauth-protected-resource',
    ]);
    expect(protectedResourceMetadataUrls('https://mcp.example.com/')).toEqual([
      'https://mcp.example.com/.well-known/oauth-protected-resource',
    ]);
  });

  it('lists authorization server metadata URLs in the MCP order', () => {
    expect(authServerMetadataUrls('https://auth.example.com/tenant1')).toEqual([
      'https://auth.example.com/.well-known/oauth-authorization-server/tenant1',
      'https://auth.example.com/.well-known/openid-configuration/tenant1',
      'https://auth.example.com/tenant1/.well-known/openid-configuration',
    ]);
    expect(authServerMetadataUrls('https://auth.example.com')).toEqual([
      'https://auth.example.com/.well-known/oauth-authorization-server',
      'https://auth.example.com/.well-known/openid-configuration',
    ]);
  });
});

describe('iss check (RFC 9207 §2.4)', () => {
  const flow = (advertised: boolean | undefined) =>
    ({
      issuer: 'https://as.example',
      metadata: {
        issuer: 'https://as.example',
        authorization_endpoint: 'https://as.example/auth',
        token_endpoint: 'https://as.example/token',
        ...(advertised === undefined ? {} : { authorization_response_iss_parameter_supported: advertised }),
      },
    }) as FlowSecrets;
  it.each([
    [true, 'https://as.example', undefined],
    [true, null, /iss missing/],
    [true, 'https://as.example/', /iss mismatch/],
    [false, 'https://evil.example', /iss mismatch/],
    [false, null, undefined],
    [undefined, 'https://AS.example', /iss mismatch/],
    [undefined, null, undefined],
  ])('advertised %s, iss %s', (advertised, iss, expected) => {
    const params = new URLSearchParams(iss === null ? {} : { iss });
    const result = checkIssuer(params, flow(advertised));
    if (expected === undefined) expect(result).toBeUndefined();
    else expect(result).toMatch(expected);
  });
});

describe('callback page', () => {
  it('escapes everything it shows', () => {
    const page = callbackPage({ ok: false, status: 400, message: `<script>alert("x")</script> & 'y'` });
    expect(page).not.toContain('<script>');
    expect(page).toContain('&#60;script&#62;');
    expect(escapeHtml('`"\'<>&')).toBe('&#96;&#34;&#39;&#60;&#62;&#38;');
    expect(callbackPage({ ok: true, server: 'remote' })).toContain('You can close this tab');
  });
});

describe('log redaction of OAuth secrets', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  it.each([
    ['a JWT access token in text', `got ${jwt} back`],
    ['a refresh token parameter', 'grant_type=refresh_token&refresh_token=rt-SECRET-123'],
    ['a code parameter', 'http://127.0.0.1:1/oauth/callback?code=SECRET-code-1&state=s'],
    ['a code_verifier parameter', 'code_verifier=SECRET-verifier&x=1'],
  ])('removes %s', (_label, text) => {
    const redacted = String(redactForLog(text));
    expect(redacted).not.toMatch(/SECRET|c2lnbmF0dXJl/);
  });
  it('redacts fields named like tokens and verifiers', () => {
    const out = JSON.stringify(
      redactForLog({
        accessToken: 'a',
        refreshToken: 'b',
        codeVerifier: 'c',
        client_secret: 'd',
        scope: 'e',
      }),
    );
    expect(out).toBe(
      '{"accessToken":"[redacted]","refreshToken":"[redacted]","codeVerifier":"[redacted]","client_secret":"[redacted]","scope":"e"}',
    );
  });
});

describe('token store', () => {
  it('keeps tokens under the server prefix (removed with the server) and registrations per issuer', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-tokens-'));
    try {
      const secrets = new FileSecretStore(dir);
      const store = new TokenStore(secrets);
      const tokens: StoredTokens = {
        issuer: 'https://as.example',
        metadata: {
          issuer: 'https://as.example',
          authorization_endpoint: 'https://as.example/auth',
          token_endpoint: 'https://as.example/token',
        },
        clientId: 'c',
        authMethod: 'none',
        resource: 'https://mcp.example/mcp',
        accessToken: 'at',
        refreshToken: 'rt',
        scopes: ['a'],
        obtainedAt: new Date().toISOString(),
      };
      store.saveTokens('one', tokens);
      store.saveRegistration({
        issuer: 'https://as.example',
        clientId: 'registered',
        clientSecret: 'dcr-secret',
        authMethod: 'client_secret_basic',
        redirectUris: ['http://127.0.0.1:7337/oauth/callback'],
        registeredAt: new Date().toISOString(),
      });
      expect(store.tokens('one')).toEqual(tokens);
      expect(store.registration('https://as.example')?.clientSecret).toBe('dcr-secret');
      expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
      // The registration record itself carries no secret.
      const raw = JSON.parse(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')) as Record<
        string,
        string
      >;
      expect(raw['oauth-client:https://as.example']).not.toContain('dcr-secret');
      secrets.deletePrefix(serverSecretPrefix('one'));
      expect(store.tokens('one')).toBeUndefined();
      expect(store.registration('https://as.example')?.clientId).toBe('registered');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('safe fetch', () => {
  async function listen(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    const { httpServer, port } = await listenOnLoopback(async (req, res) => handle(req, res));
    servers.push(httpServer);
    return `http://127.0.0.1:${port}`;
  }

  it('checks every redirect hop', async () => {
    const origin = await listen((req, res) => {
      if (req.url === '/ok') res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      else if (req.url === '/to-ok') res.writeHead(302, { location: '/ok' }).end();
      else res.writeHead(302, { location: 'http://example.com/metadata' }).end();
    });
    const fetch = createSafeFetch({ serverUrl: `${origin}/mcp` });
    expect((await (await fetch(`${origin}/to-ok`)).json()) as unknown).toEqual({ ok: true });
    await expect(fetch(`${origin}/elsewhere`)).rejects.toThrow(OAuthError);
    await expect(fetch(`${origin}/elsewhere`)).rejects.toThrow(/must use https/);
  });

  it('refuses loopback and private URLs for a public server before connecting', async () => {
    const fetch = createSafeFetch({ serverUrl: 'https://mcp.example.com/mcp' });
    await expect(fetch('https://127.0.0.1/x')).rejects.toThrow(/not a public address/);
    await expect(fetch('https://169.254.169.254/latest/meta-data/')).rejects.toThrow(/link-local/);
    await expect(fetch('http://mcp.example.com/x')).rejects.toThrow(/https/);
  });

  it('refuses a host name that resolves to a loopback address for a public server (checked at connect)', async () => {
    // This machine's own name usually resolves to 127.0.x.x; a name cannot be judged before DNS answers.
    const host = os.hostname();
    const addresses = await dns.promises.lookup(host, { all: true }).catch(() => []);
    if (!addresses.some((entry) => entry.address.startsWith('127.') || entry.address === '::1')) return;
    const fetch = createSafeFetch({ serverUrl: 'https://mcp.example.com/mcp' });
    await expect(fetch(`https://${host}/x`)).rejects.toThrow(/is not public \(loopback\)/);
  });
});
