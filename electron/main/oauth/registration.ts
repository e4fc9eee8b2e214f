/**
 * Which OAuth client Gatehouse is at a server's authorization server (MCP 2025-11-25 §Client
 * Registration Approaches, in order): the client id (and secret) the person entered for the server; a
 * Client ID Metadata Document URL when configured and supported; dynamic client registration as a
 * native app with the loopback redirect URI and the refresh_token grant, stored per issuer and reused.
 */
import * as oidc from 'openid-client';
import type { ServerConfig } from '../../../shared/schemas/servers.ts';
import { serverClientSecretKey } from '../gateway/server-secrets.ts';
import type { AuthServerMetadata } from './discovery.ts';
import { OAuthError, type SafeFetch } from './safe-fetch.ts';
import { registrationSecretKey, type ClientAuthMethod, type TokenStore } from './token-store.ts';

/** The client to use with one authorization server. */
export interface ResolvedClient {
  clientId: string;
  authMethod: ClientAuthMethod;
  /** Secret store key of the client secret, if there is one. */
  clientSecretKey?: string;
  /** How it was obtained, for messages. */
  source: 'entered' | 'metadata-document' | 'registered';
}

/** The authentication method for a confidential client: what it registered with, else what the AS prefers. */
function secretMethod(metadata: AuthServerMetadata, registered?: string): ClientAuthMethod {
  if (registered === 'client_secret_basic' || registered === 'client_secret_post') return registered;
  const supported = metadata.token_endpoint_auth_methods_supported;
  if (
    Array.isArray(supported) &&
    !supported.includes('client_secret_basic') &&
    supported.includes('client_secret_post')
  ) {
    return 'client_secret_post';
  }
  return 'client_secret_basic';
}

/** Whether `url` uses plain http (only ever allowed on loopback or with the named opt-in). */
function insecure(url: string): boolean {
  return url.startsWith('http:');
}

/**
 * An openid-client Configuration for the authorization server and client, whose every request goes
 * through the checked fetch. Plain http is allowed only when the URL checks already allowed it.
 */
export function clientConfiguration(
  metadata: AuthServerMetadata,
  client: { clientId: string; authMethod: ClientAuthMethod; clientSecret?: string },
  fetch: SafeFetch,
): oidc.Configuration {
  const auth =
    client.authMethod === 'none' || client.clientSecret === undefined
      ? oidc.None()
      : client.authMethod === 'client_secret_post'
        ? oidc.ClientSecretPost(client.clientSecret)
        : oidc.ClientSecretBasic(client.clientSecret);
  const config = new oidc.Configuration(
    metadata as oidc.ServerMetadata,
    client.clientId,
    client.clientSecret !== undefined ? { client_secret: client.clientSecret } : undefined,
    auth,
  );
  config[oidc.customFetch] = fetch as oidc.CustomFetch;
  if (
    [metadata.token_endpoint, metadata.revocation_endpoint, metadata.authorization_endpoint].some(
      (u) => typeof u === 'string' && insecure(u),
    )
  ) {
    oidc.allowInsecureRequests(config);
  }
  return config;
}

/**
 * Resolves (and if needed registers) the client for `server` at the authorization server described by
 * `metadata`, with `redirectUri` as the callback. Throws {@link OAuthError} when there is no way.
 */
export async function resolveClient(options: {
  server: ServerConfig;
  metadata: AuthServerMetadata;
  metadataUrl: string;
  redirectUri: string;
  store: TokenStore;
  fetch: SafeFetch;
}): Promise<ResolvedClient> {
  const { server, metadata, redirectUri, store } = options;
  if (server.auth.clientId !== undefined) {
    const secretKey = serverClientSecretKey(server.name);
    const hasSecret = store.secret(secretKey) !== undefined;
    return {
      clientId: server.auth.clientId,
      authMethod: hasSecret ? secretMethod(metadata) : 'none',
      ...(hasSecret ? { clientSecretKey: secretKey } : {}),
      source: 'entered',
    };
  }
  if (
    server.auth.clientMetadataUrl !== undefined &&
    metadata.client_id_metadata_document_supported === true
  ) {
    return { clientId: server.auth.clientMetadataUrl, authMethod: 'none', source: 'metadata-document' };
  }
  const issuer = metadata.issuer;
  const existing = store.registration(issuer);
  if (existing && existing.redirectUris.includes(redirectUri)) {
    return {
      clientId: existing.clientId,
      authMethod: existing.authMethod,
      ...(existing.clientSecret !== undefined ? { clientSecretKey: registrationSecretKey(issuer) } : {}),
      source: 'registered',
    };
  }
  if (typeof metadata.registration_endpoint !== 'string') {
    throw new OAuthError(
      `the authorization server ${issuer} does not offer dynamic client registration: register Gatehouse there ` +
        `as a native app with the redirect URI ${redirectUri}, then give Gatehouse its client id ` +
        `(gatehouse server add ${server.name} <url> --client-id ID [--client-secret-stdin])`,
    );
  }
  return register(options, issuer);
}

async function register(
  options: {
    metadata: AuthServerMetadata;
    metadataUrl: string;
    redirectUri: string;
    store: TokenStore;
    fetch: SafeFetch;
  },
  issuer: string,
): Promise<ResolvedClient> {
  const { metadata, metadataUrl, redirectUri, store, fetch } = options;
  // openid-client re-reads the metadata document before registering: hand it the document already
  // read and checked, so nothing unchecked is fetched and the issuer cannot change in between.
  const document = JSON.stringify(metadata);
  const withKnownMetadata: SafeFetch = (url, init) =>
    url === metadataUrl && (init?.method ?? 'GET').toUpperCase() === 'GET'
      ? Promise.resolve(
          new Response(document, { status: 200, headers: { 'content-type': 'application/json' } }),
        )
      : fetch(url, init);
  let registered: oidc.Configuration;
  try {
    registered = await oidc.dynamicClientRegistration(
      new URL(metadataUrl),
      {
        client_name: 'Gatehouse',
        application_type: 'native',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      },
      oidc.None(),
      {
        [oidc.customFetch]: withKnownMetadata as oidc.CustomFetch,
        ...(insecure(metadataUrl) || insecure(String(metadata.registration_endpoint))
          ? { execute: [oidc.allowInsecureRequests] }
          : {}),
      },
    );
  } catch (error) {
    throw new OAuthError(
      `dynamic client registration at ${issuer} failed: ${oauthErrorText(error)}`,
      oauthErrorCode(error),
    );
  }
  if (registered.serverMetadata().issuer !== issuer) {
    throw new OAuthError('the authorization server changed its issuer during registration');
  }
  const client = registered.clientMetadata();
  const clientSecret = typeof client.client_secret === 'string' ? client.client_secret : undefined;
  const authMethod: ClientAuthMethod =
    clientSecret === undefined
      ? 'none'
      : secretMethod(
          metadata,
          typeof client.token_endpoint_auth_method === 'string'
            ? client.token_endpoint_auth_method
            : undefined,
        );
  store.saveRegistration({
    issuer,
    clientId: client.client_id,
    ...(clientSecret !== undefined ? { clientSecret } : {}),
    authMethod,
    redirectUris: [redirectUri],
    registeredAt: new Date().toISOString(),
  });
  return {
    clientId: client.client_id,
    authMethod,
    ...(clientSecret !== undefined ? { clientSecretKey: registrationSecretKey(issuer) } : {}),
    source: 'registered',
  };
}

/** The OAuth `error` code of an openid-client failure, if the server sent one. */
export function oauthErrorCode(error: unknown): string | undefined {
  const code = (error as { error?: unknown })?.error;
  return typeof code === 'string' ? code : error instanceof OAuthError ? error.code : undefined;
}

/** A short description of an openid-client failure (never includes request parameters). */
export function oauthErrorText(error: unknown): string {
  const e = error as { error?: unknown; error_description?: unknown; message?: unknown; cause?: unknown };
  if (typeof e?.error === 'string') {
    const description =
      typeof e.error_description === 'string' ? `: ${e.error_description.slice(0, 300)}` : '';
    return `${e.error}${description}`;
  }
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const cause = e?.cause instanceof Error ? ` (${e.cause.message})` : '';
  return `${message}${cause}`.slice(0, 400);
}
