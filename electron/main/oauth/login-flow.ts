/**
 * One authorization code + PKCE S256 login (OAuth 2.1 §4.1, MCP 2025-11-25 §Authorization Flow Steps):
 * the authorization URL, and the checks and code exchange when the browser comes back.
 */
import * as oidc from 'openid-client';
import type { ServerConfig } from '../../../shared/schemas/servers.ts';
import type { AuthServerMetadata } from './discovery.ts';
import { clientConfiguration, oauthErrorCode, oauthErrorText, type ResolvedClient } from './registration.ts';
import { OAuthError, type SafeFetch } from './safe-fetch.ts';
import type { StoredTokens, TokenStore } from './token-store.ts';
import { checkOpenableUrl } from './url-safety.ts';

/** Parameters that Gatehouse sets itself; a server's extra authorize parameters cannot replace them. */
const RESERVED_PARAMS = new Set([
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'resource',
  'request',
  'request_uri',
  'response_mode',
]);

/** What a pending login remembers until its callback (in memory only, never stored). */
export interface FlowSecrets {
  state: string;
  codeVerifier: string;
  /** The issuer the authorization response must come from (RFC 9207). */
  issuer: string;
  metadata: AuthServerMetadata;
  client: ResolvedClient;
  redirectUri: string;
  resource: string;
  scopes: string[];
}

/** Builds the authorization URL for a login and the secrets its callback needs. */
export async function buildAuthorization(options: {
  server: ServerConfig;
  metadata: AuthServerMetadata;
  client: ResolvedClient;
  redirectUri: string;
  resource: string;
  scopes: string[];
  store: TokenStore;
  fetch: SafeFetch;
}): Promise<{ authorizationUrl: string; flow: FlowSecrets }> {
  const { server, metadata, client, redirectUri, resource, scopes } = options;
  const config = clientConfiguration(metadata, withSecret(client, options.store), options.fetch);
  const state = oidc.randomState();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(server.auth.authParams)) {
    if (!RESERVED_PARAMS.has(key.toLowerCase())) params[key] = value;
  }
  Object.assign(params, {
    redirect_uri: redirectUri,
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    // RFC 8707: always, whether or not the authorization server says it supports resource indicators.
    resource,
    ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
  });
  const url = oidc.buildAuthorizationUrl(config, params);
  // The URL is opened in a browser: check the whole thing, not just the endpoint (CVE-2025-6514).
  const checked = checkOpenableUrl(url.href);
  if (!checked.ok) throw new OAuthError(`refused to open the authorization URL: ${checked.reason}`);
  return {
    authorizationUrl: checked.href,
    flow: { state, codeVerifier, issuer: metadata.issuer, metadata, client, redirectUri, resource, scopes },
  };
}

/** The client's id and auth method with its secret read from the store (logins and stored tokens alike). */
function withSecret(
  client: Pick<ResolvedClient, 'clientId' | 'authMethod' | 'clientSecretKey'>,
  store: TokenStore,
): { clientId: string; authMethod: ResolvedClient['authMethod']; clientSecret?: string } {
  const secret = store.secret(client.clientSecretKey);
  return {
    clientId: client.clientId,
    authMethod: client.authMethod,
    ...(secret !== undefined ? { clientSecret: secret } : {}),
  };
}

/**
 * Checks the authorization response's `iss` (RFC 9207 §2.4, the table in mcp-protocol-notes.md §3.7):
 * compared by exact string when present; required when the server advertises it.
 */
export function checkIssuer(params: URLSearchParams, flow: FlowSecrets): string | undefined {
  const iss = params.get('iss');
  if (iss !== null)
    return iss === flow.issuer
      ? undefined
      : 'the response came from another authorization server (iss mismatch)';
  if (flow.metadata.authorization_response_iss_parameter_supported === true) {
    return 'the authorization server did not say who it is (iss missing)';
  }
  return undefined;
}

/**
 * Completes a login at its callback: `iss` checked first (on a mismatch the response's error text is
 * not shown), then the authorization server's error if any, then the code is redeemed with the PKCE
 * verifier and the same `resource`. Returns the tokens to store.
 */
export async function redeemCallback(options: {
  params: URLSearchParams;
  flow: FlowSecrets;
  store: TokenStore;
  fetch: SafeFetch;
}): Promise<StoredTokens> {
  const { params, flow, store } = options;
  const mixUp = checkIssuer(params, flow);
  if (mixUp) throw new OAuthError(`login refused: ${mixUp}`);
  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description');
    throw new OAuthError(
      `the authorization server refused the login: ${error.slice(0, 100)}${description ? ` (${description.slice(0, 300)})` : ''}`,
      error.slice(0, 100),
    );
  }
  const client = withSecret(flow.client, store);
  const config = clientConfiguration(flow.metadata, client, options.fetch);
  const callbackUrl = new URL(flow.redirectUri);
  for (const [key, value] of params) callbackUrl.searchParams.append(key, value);
  let response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
  try {
    response = await oidc.authorizationCodeGrant(
      config,
      callbackUrl,
      { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state },
      { resource: flow.resource },
    );
  } catch (failure) {
    throw new OAuthError(`the code exchange failed: ${oauthErrorText(failure)}`, oauthErrorCode(failure));
  }
  return tokensFrom(response, {
    issuer: flow.issuer,
    metadata: flow.metadata,
    clientId: flow.client.clientId,
    authMethod: flow.client.authMethod,
    ...(flow.client.clientSecretKey !== undefined ? { clientSecretKey: flow.client.clientSecretKey } : {}),
    resource: flow.resource,
    scopes: flow.scopes,
  });
}

type TokenBase = Pick<
  StoredTokens,
  'issuer' | 'metadata' | 'clientId' | 'authMethod' | 'clientSecretKey' | 'resource' | 'scopes'
> & {
  refreshToken?: string;
  account?: string;
};

/** Turns a token response into what is stored (the refresh token is kept when none is rotated in). */
export function tokensFrom(
  response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
  base: TokenBase,
): StoredTokens {
  if (typeof response.token_type !== 'string' || response.token_type.toLowerCase() !== 'bearer') {
    throw new OAuthError(
      `the authorization server issued a ${String(response.token_type)} token, not a Bearer token`,
    );
  }
  const expiresIn = response.expiresIn();
  let account = base.account;
  try {
    const claims = response.claims();
    const name = [claims?.email, claims?.preferred_username, claims?.sub].find((v) => typeof v === 'string');
    if (name !== undefined) account = name;
  } catch {
    // no ID token
  }
  const refreshToken = response.refresh_token ?? base.refreshToken;
  const scopes =
    typeof response.scope === 'string' ? response.scope.split(' ').filter((s) => s !== '') : base.scopes;
  const { refreshToken: _previous, account: _account, ...rest } = base;
  return {
    ...rest,
    accessToken: response.access_token,
    ...(refreshToken !== undefined ? { refreshToken } : {}),
    ...(expiresIn !== undefined ? { expiresAt: Date.now() + expiresIn * 1000 } : {}),
    scopes,
    ...(account !== undefined ? { account } : {}),
    obtainedAt: new Date().toISOString(),
  };
}

/** Refreshes a login with its refresh token (rotated tokens come back in the result). */
export async function refreshTokens(
  tokens: StoredTokens,
  store: TokenStore,
  fetch: SafeFetch,
): Promise<StoredTokens> {
  if (tokens.refreshToken === undefined)
    throw new OAuthError('the login has no refresh token', 'invalid_grant');
  const config = clientConfiguration(tokens.metadata, withSecret(tokens, store), fetch);
  let response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
  try {
    response = await oidc.refreshTokenGrant(config, tokens.refreshToken, { resource: tokens.resource });
  } catch (failure) {
    throw new OAuthError(`refreshing the login failed: ${oauthErrorText(failure)}`, oauthErrorCode(failure));
  }
  return tokensFrom(response, { ...tokens });
}

/** Revokes a token at the revocation endpoint, when the server has one; never throws. */
export async function revokeTokens(
  tokens: StoredTokens,
  store: TokenStore,
  fetch: SafeFetch,
): Promise<boolean> {
  if (typeof tokens.metadata.revocation_endpoint !== 'string') return false;
  const config = clientConfiguration(tokens.metadata, withSecret(tokens, store), fetch);
  let revoked = false;
  for (const [token, hint] of [
    [tokens.refreshToken, 'refresh_token'],
    [tokens.accessToken, 'access_token'],
  ] as const) {
    if (token === undefined) continue;
    try {
      await oidc.tokenRevocation(config, token, { token_type_hint: hint });
      revoked = true;
    } catch {
      // best effort: the tokens are deleted locally either way
    }
  }
  return revoked;
}

/** Whether a refresh failure means the login is over (as opposed to a network problem). */
export function isPermanentRefreshFailure(error: unknown): boolean {
  const code = oauthErrorCode(error);
  return (
    code === 'invalid_grant' ||
    code === 'invalid_client' ||
    code === 'unauthorized_client' ||
    code === 'invalid_scope'
  );
}
