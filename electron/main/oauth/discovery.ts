/**
 * OAuth discovery for one MCP server (MCP 2025-11-25 authorization, mcp-protocol-notes.md §3.3–3.4):
 * the server's challenge, its Protected Resource Metadata (RFC 9728), and its authorization server's
 * metadata (RFC 8414 / OpenID Connect Discovery), with every URL checked before use.
 */
import type { ServerConfig } from '../../../shared/schemas/servers.ts';
import { resourceMatches } from './canonical-resource.ts';
import { OAuthError, readJsonObject, type SafeFetch } from './safe-fetch.ts';
import { checkAuthorizationEndpoint, checkDiscoveredUrl, type DiscoveryContext } from './url-safety.ts';
import { parseBearerChallenge, type BearerChallenge } from './www-authenticate.ts';
import { ownInitialize } from '../gateway/upstream/upstream-session.ts';

/** Authorization server metadata: the fields Gatehouse reads, and whatever else the server sent. */
export interface AuthServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint?: string;
  revocation_endpoint?: string;
  code_challenge_methods_supported?: string[];
  scopes_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  authorization_response_iss_parameter_supported?: boolean;
  client_id_metadata_document_supported?: boolean;
  [key: string]: unknown;
}

/** Everything discovery found out, enough to register and to start a login. */
export interface Discovered {
  /** The authorization server's metadata, its URLs checked. */
  metadata: AuthServerMetadata;
  /** The URL the metadata document was read from. */
  metadataUrl: string;
  /** `scopes_supported` of the Protected Resource Metadata, if any. */
  resourceScopes: string[] | undefined;
}

export function discoveryContext(server: ServerConfig): DiscoveryContext {
  return { serverUrl: server.url, allowInsecureHttp: server.allowInsecureHttp };
}

/**
 * Asks the server for its challenge by sending an `initialize` without credentials; returns the Bearer
 * challenge of a 401 (or 403), or undefined when the server answered without asking for a login.
 */
export async function probeChallenge(
  server: ServerConfig,
  fetch: SafeFetch,
): Promise<BearerChallenge | undefined> {
  const response = await fetch(server.url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify(ownInitialize('gatehouse-login-probe')),
  });
  await response.body?.cancel().catch(() => {});
  if (response.status !== 401 && response.status !== 403) return undefined;
  return parseBearerChallenge(response.headers.get('www-authenticate') ?? undefined) ?? { scheme: 'Bearer' };
}

/** The well-known PRM URLs for a server URL: path form (when it has a path), then root form. */
export function protectedResourceMetadataUrls(serverUrl: string): string[] {
  const url = new URL(serverUrl);
  const urls: string[] = [];
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== '') urls.push(`${url.origin}/.well-known/oauth-protected-resource${path}`);
  urls.push(`${url.origin}/.well-known/oauth-protected-resource`);
  return urls;
}

/** The authorization server metadata URLs in the spec's order (RFC 8414 first, then OpenID Connect). */
export function authServerMetadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '') {
    return [
      `${url.origin}/.well-known/oauth-authorization-server`,
      `${url.origin}/.well-known/openid-configuration`,
    ];
  }
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/**
 * Finds the server's Protected Resource Metadata: the challenge's `resource_metadata` when there is
 * one, else the path form, else the root form. Its `resource` must describe this server (RFC 9728 §3.3).
 * Returns undefined when the server publishes none.
 */
export async function discoverProtectedResource(
  server: ServerConfig,
  challenge: BearerChallenge | undefined,
  fetch: SafeFetch,
): Promise<{ authorizationServers: string[]; scopes: string[] | undefined } | undefined> {
  const candidates = challenge?.resourceMetadata
    ? [challenge.resourceMetadata]
    : protectedResourceMetadataUrls(server.url);
  for (const candidate of candidates) {
    const response = await fetch(candidate);
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {});
      if (challenge?.resourceMetadata) {
        throw new OAuthError(
          `the server's resource metadata (${candidate}) answered HTTP ${response.status}`,
        );
      }
      continue;
    }
    const document = await readJsonObject(response);
    const servers = stringArray(document?.authorization_servers);
    if (!document || !servers || servers.length === 0) {
      throw new OAuthError(`the resource metadata at ${candidate} names no authorization server`);
    }
    if (typeof document.resource !== 'string' || !resourceMatches(document.resource, server.url)) {
      throw new OAuthError(
        `the resource metadata at ${candidate} is for another resource (${String(document.resource).slice(0, 200)})`,
      );
    }
    return { authorizationServers: servers, scopes: stringArray(document.scopes_supported) };
  }
  return undefined;
}

/** Checks the URLs in authorization server metadata; returns the metadata or throws. */
function checkMetadata(document: Record<string, unknown>, context: DiscoveryContext): AuthServerMetadata {
  const authorization = document.authorization_endpoint;
  const token = document.token_endpoint;
  if (typeof authorization !== 'string' || typeof token !== 'string') {
    throw new OAuthError('the authorization server metadata lacks authorization_endpoint or token_endpoint');
  }
  const authCheck = checkAuthorizationEndpoint(authorization, context);
  if (!authCheck.ok) throw new OAuthError(`refused the authorization endpoint: ${authCheck.reason}`);
  for (const field of ['token_endpoint', 'registration_endpoint', 'revocation_endpoint'] as const) {
    const value = document[field];
    if (value === undefined) continue;
    const checked = typeof value === 'string' ? checkDiscoveredUrl(value, context) : undefined;
    if (!checked?.ok) {
      throw new OAuthError(`refused the ${field}: ${checked ? checked.reason : 'not a string'}`);
    }
  }
  return document as AuthServerMetadata;
}

/**
 * Reads the authorization server metadata of `issuer`, trying the URLs of {@link authServerMetadataUrls}
 * in order. The document's `issuer` must be exactly the issuer it was looked up for (RFC 8414 §3.3;
 * MCP 2026-07-28 mix-up defence), and its endpoints must pass the URL checks.
 */
export async function discoverAuthServer(
  issuer: string,
  context: DiscoveryContext,
  fetch: SafeFetch,
): Promise<{ metadata: AuthServerMetadata; metadataUrl: string }> {
  const issuerCheck = checkDiscoveredUrl(issuer, context);
  if (!issuerCheck.ok)
    throw new OAuthError(`refused the authorization server ${issuer}: ${issuerCheck.reason}`);
  if (issuerCheck.url.search !== '') throw new OAuthError('an issuer must not have a query');
  const tried: string[] = [];
  for (const candidate of authServerMetadataUrls(issuer)) {
    const response = await fetch(candidate);
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {});
      tried.push(`${candidate} (HTTP ${response.status})`);
      continue;
    }
    const document = await readJsonObject(response);
    if (!document) {
      tried.push(`${candidate} (not JSON)`);
      continue;
    }
    if (document.issuer !== issuer) {
      throw new OAuthError(
        `the metadata at ${candidate} names the issuer ${JSON.stringify(String(document.issuer).slice(0, 200))}, not ${issuer}`,
      );
    }
    return { metadata: checkMetadata(document, context), metadataUrl: candidate };
  }
  throw new OAuthError(`no authorization server metadata for ${issuer}: tried ${tried.join(', ')}`);
}

/**
 * The whole discovery: PRM (when published; otherwise the server's origin is taken as its
 * authorization server, the 2025-03-26 rule), then the first listed authorization server's metadata,
 * which must offer PKCE S256 unless the person opted out for this server.
 */
export async function discover(
  server: ServerConfig,
  challenge: BearerChallenge | undefined,
  fetch: SafeFetch,
): Promise<Discovered> {
  const context = discoveryContext(server);
  const prm = await discoverProtectedResource(server, challenge, fetch);
  const issuer = prm?.authorizationServers[0] ?? new URL(server.url).origin;
  const { metadata, metadataUrl } = await discoverAuthServer(issuer, context, fetch);
  const methods = stringArray(metadata.code_challenge_methods_supported);
  if (!methods?.includes('S256') && !server.auth.allowMissingS256) {
    throw new OAuthError(
      `the authorization server ${issuer} does not list PKCE S256 in code_challenge_methods_supported, ` +
        'so Gatehouse will not log in there (the server add option --allow-missing-s256 turns this check off for one server)',
    );
  }
  return { metadata, metadataUrl, resourceScopes: prm?.scopes };
}
