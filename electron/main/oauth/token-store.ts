/**
 * Where logins are kept: in the SecretStore (Electron: safeStorage-encrypted; headless: a file only the
 * owner can read). A server's tokens live under `server:<name>:oauth:` so they go when the server goes;
 * client registrations are per authorization server (`oauth-client:<issuer>`) and reused by every
 * server that uses that issuer (MCP 2026-07-28 §Authorization Server Binding).
 */
import { serverSecretPrefix } from '../gateway/server-secrets.ts';
import type { SecretStore } from '../store/secret-store.ts';
import type { AuthServerMetadata } from './discovery.ts';

/** A server's current login. */
export interface StoredTokens {
  issuer: string;
  /** The authorization server metadata the tokens came from (refresh and revocation need it). */
  metadata: AuthServerMetadata;
  clientId: string;
  /** How the client authenticates at the token endpoint. */
  authMethod: ClientAuthMethod;
  /** The secret store key of the client secret, when the client has one. */
  clientSecretKey?: string;
  /** The RFC 8707 resource the tokens are bound to. */
  resource: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds, when the authorization server said. */
  expiresAt?: number;
  scopes: string[];
  account?: string;
  obtainedAt: string;
}

export type ClientAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

/** A client registered (dynamically) at one authorization server. */
export interface StoredRegistration {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  authMethod: ClientAuthMethod;
  redirectUris: string[];
  registeredAt: string;
}

export function tokensKey(server: string): string {
  return `${serverSecretPrefix(server)}oauth:tokens`;
}

/** Why a server needs a new login (kept so a restart still shows it). */
export function needsLoginKey(server: string): string {
  return `${serverSecretPrefix(server)}oauth:needs-login`;
}

export function registrationKey(issuer: string): string {
  return `oauth-client:${issuer}`;
}

/** Key of a dynamically registered client's secret, stored apart from the record. */
export function registrationSecretKey(issuer: string): string {
  return `oauth-client-secret:${issuer}`;
}

function readJson<T>(secrets: SecretStore, key: string): T | undefined {
  let text: string | undefined;
  try {
    text = secrets.get(key);
  } catch {
    return undefined; // sealed by the desktop app and unreadable here: as good as absent
  }
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** Typed access to the OAuth entries of a SecretStore. */
export class TokenStore {
  readonly #secrets: SecretStore;

  constructor(secrets: SecretStore) {
    this.#secrets = secrets;
  }

  get secrets(): SecretStore {
    return this.#secrets;
  }

  tokens(server: string): StoredTokens | undefined {
    const tokens = readJson<StoredTokens>(this.#secrets, tokensKey(server));
    return tokens && typeof tokens.accessToken === 'string' ? tokens : undefined;
  }

  /** Saves a server's tokens in one atomic write (a rotated refresh token is saved before it is used). */
  saveTokens(server: string, tokens: StoredTokens): void {
    this.#secrets.set(tokensKey(server), JSON.stringify(tokens));
  }

  deleteTokens(server: string): void {
    this.#secrets.delete(tokensKey(server));
  }

  needsLogin(server: string): string | undefined {
    try {
      return this.#secrets.get(needsLoginKey(server));
    } catch {
      return undefined;
    }
  }

  setNeedsLogin(server: string, reason: string | undefined): void {
    if (reason === undefined) {
      if (this.needsLogin(server) !== undefined) this.#secrets.delete(needsLoginKey(server));
    } else this.#secrets.set(needsLoginKey(server), reason);
  }

  registration(issuer: string): StoredRegistration | undefined {
    const record = readJson<Omit<StoredRegistration, 'clientSecret'>>(this.#secrets, registrationKey(issuer));
    if (!record || record.issuer !== issuer) return undefined;
    let clientSecret: string | undefined;
    try {
      clientSecret = this.#secrets.get(registrationSecretKey(issuer));
    } catch {
      return undefined;
    }
    return clientSecret === undefined ? record : { ...record, clientSecret };
  }

  saveRegistration(registration: StoredRegistration): void {
    const { clientSecret, ...record } = registration;
    if (clientSecret !== undefined)
      this.#secrets.set(registrationSecretKey(registration.issuer), clientSecret);
    else this.#secrets.delete(registrationSecretKey(registration.issuer));
    this.#secrets.set(registrationKey(registration.issuer), JSON.stringify(record));
  }

  deleteRegistration(issuer: string): void {
    this.#secrets.delete(registrationKey(issuer));
    this.#secrets.delete(registrationSecretKey(issuer));
  }

  /** A secret by key (client secrets), or undefined when absent or unreadable. */
  secret(key: string | undefined): string | undefined {
    if (key === undefined) return undefined;
    try {
      return this.#secrets.get(key);
    } catch {
      return undefined;
    }
  }
}
