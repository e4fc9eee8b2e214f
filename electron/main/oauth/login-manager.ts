/**
 * The OAuth logins of every server: one login flow per server at a time (a second request joins it),
 * refresh before expiry and on 401 with one refresh per server at a time, step-up on 403
 * `insufficient_scope`, "needs login" when a refresh fails for good, and logout with revocation.
 * Tokens live in the SecretStore (token-store.ts); flow secrets (state, PKCE verifier) only in memory.
 */
import type { LoginStatus } from '../../../shared/schemas/logins.ts';
import type { ServerConfig } from '../../../shared/schemas/servers.ts';
import type { Settings } from '../../../shared/schemas/settings.ts';
import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import type { Logger } from '../base/logger.ts';
import type { UpstreamAuth } from '../gateway/upstream/upstream-session.ts';
import { UpstreamError } from '../gateway/upstream/upstream-error.ts';
import type { SecretStore } from '../store/secret-store.ts';
import { canonicalResource } from './canonical-resource.ts';
import { discover, discoveryContext, probeChallenge } from './discovery.ts';
import {
  buildAuthorization,
  isPermanentRefreshFailure,
  redeemCallback,
  refreshTokens,
  revokeTokens,
  type FlowSecrets,
} from './login-flow.ts';
import { resolveClient } from './registration.ts';
import { createSafeFetch, OAuthError } from './safe-fetch.ts';
import { TokenStore, type StoredTokens } from './token-store.ts';
import { parseBearerChallenge, type BearerChallenge } from './www-authenticate.ts';

/** Path of the loopback redirect URI on the gateway's own listener. */
export const CALLBACK_PATH = '/oauth/callback';
/** Step-up logins one request may trigger before its 403 is passed on (MCP: "no more than a few"). */
export const MAX_STEP_UPS = 3;
/** A pending login that nobody finishes ends after this long. */
const FLOW_TIMEOUT_MS = 10 * 60_000;
/** An access token this close to its expiry is refreshed before use. */
const REFRESH_MARGIN_MS = 30_000;

export interface LoginManagerOptions {
  settings: () => Settings;
  secrets: SecretStore;
  logger: Logger;
  /** The loopback redirect URI (`http://127.0.0.1:<port>/oauth/callback`), undefined when nothing listens. */
  redirectUri: () => string | undefined;
  /** Raises service events (`logins-changed`, `login-needed`, `servers-changed`). */
  fire?: (event: ServiceEvent) => void;
  /** Opens the browser for a login Gatehouse starts by itself (a step-up); the desktop passes shell.openExternal. */
  openBrowser?: (url: string) => void;
  flowTimeoutMs?: number;
}

/** The outcome of a callback, for the page the browser shows. */
export type CallbackOutcome = { ok: true; server: string } | { ok: false; status: number; message: string };

interface Flow {
  server: string;
  ready: Promise<string>;
  done: Promise<void>;
  authorizationUrl?: string;
  secrets?: FlowSecrets;
  finish(error?: Error): void;
  timer?: NodeJS.Timeout;
}

function union(...lists: readonly (readonly string[] | undefined)[]): string[] {
  return [...new Set(lists.flatMap((list) => list ?? []))];
}

export class LoginManager {
  readonly #o: LoginManagerOptions;
  readonly #store: TokenStore;
  readonly #logger: Logger;
  readonly #flows = new Map<string, Flow>();
  readonly #byState = new Map<string, Flow>();
  readonly #refreshing = new Map<string, Promise<StoredTokens>>();
  readonly #errors = new Map<string, string>();
  /** The last challenge each server sent, for discovery (its `resource_metadata` and `scope`). */
  readonly #challenges = new Map<string, BearerChallenge>();
  /** The scopes each server's last login asked for (a step-up adds to them). */
  readonly #requested = new Map<string, string[]>();
  #disposed = false;

  constructor(options: LoginManagerOptions) {
    this.#o = options;
    this.#store = new TokenStore(options.secrets);
    this.#logger = options.logger;
  }

  get store(): TokenStore {
    return this.#store;
  }

  #server(name: string): ServerConfig {
    const server = this.#o.settings().servers.find((s) => s.name === name);
    if (!server) throw new OAuthError(`no server named "${name}"`);
    return server;
  }

  #changed(): void {
    this.#o.fire?.({ type: 'logins-changed' });
    this.#o.fire?.({ type: 'servers-changed' });
  }

  /** Whether a server waits for the person to log in (its status shows "needs-login"). */
  needsLogin(server: string): boolean {
    return this.#store.needsLogin(server) !== undefined;
  }

  /** Moves a server to "needs login" (once: the first reason is kept) and tells the desktop app. */
  #markNeedsLogin(server: string, reason: string): void {
    if (this.needsLogin(server)) return;
    this.#store.setNeedsLogin(server, reason);
    this.#errors.delete(server);
    this.#logger.warn('server needs a login', { server, reason });
    this.#o.fire?.({ type: 'login-needed', server, reason });
    this.#changed();
  }

  // ---- login flows ----

  /**
   * Starts a login for `name`, or joins the one in progress. Resolves with the authorization URL once
   * it is ready; `done` settles when the login finishes (rejects with the reason when it fails).
   */
  start(
    name: string,
    options: { stepUp?: BearerChallenge } = {},
  ): { ready: Promise<string>; done: Promise<void> } {
    const existing = this.#flows.get(name);
    if (existing) return { ready: existing.ready, done: existing.done };
    let finish!: (error?: Error) => void;
    const done = new Promise<void>((resolve, reject) => {
      finish = (error) => (error ? reject(error) : resolve());
    });
    done.catch(() => {}); // observed by whoever waits; never an unhandled rejection
    const flow: Flow = { server: name, ready: Promise.resolve(''), done, finish: () => {} };
    let settled = false;
    flow.finish = (error) => {
      if (settled) return;
      settled = true;
      if (this.#flows.get(name) === flow) this.#flows.delete(name);
      if (flow.secrets) this.#byState.delete(flow.secrets.state);
      if (flow.timer) clearTimeout(flow.timer);
      if (error) this.#errors.set(name, error.message);
      else this.#errors.delete(name);
      finish(error);
      this.#changed();
    };
    this.#flows.set(name, flow);
    this.#errors.delete(name);
    flow.ready = this.#prepare(flow, options.stepUp);
    flow.ready.catch((error: Error) => flow.finish(error));
    return { ready: flow.ready, done };
  }

  async #prepare(flow: Flow, stepUp: BearerChallenge | undefined): Promise<string> {
    const server = this.#server(flow.server);
    const redirectUri = this.#o.redirectUri();
    if (redirectUri === undefined) {
      throw new OAuthError(
        'Gatehouse is not listening for the login callback (start `gatehouse serve` or the app)',
      );
    }
    const fetch = createSafeFetch(discoveryContext(server));
    const challenge = stepUp ?? this.#challenges.get(server.name) ?? (await probeChallenge(server, fetch));
    let discovered;
    try {
      discovered = await discover(server, challenge, fetch);
    } catch (error) {
      if (challenge !== undefined) throw error;
      throw new OAuthError(
        `the server answered without asking for a login, and publishes no OAuth metadata (${(error as Error).message})`,
      );
    }
    const previous = this.#store.tokens(server.name);
    let scopes: string[];
    if (stepUp) {
      // MCP 2026-07-28 §Scope Challenge Handling: the union of what was asked before and what is challenged.
      scopes = union(previous?.scopes, this.#requested.get(server.name), stepUp.scope);
    } else if (challenge?.scope) {
      scopes = challenge.scope;
    } else if (server.auth.scopes.length > 0) {
      scopes = server.auth.scopes;
    } else {
      scopes = discovered.resourceScopes ?? [];
    }
    const client = await resolveClient({
      server,
      metadata: discovered.metadata,
      metadataUrl: discovered.metadataUrl,
      redirectUri,
      store: this.#store,
      fetch,
    });
    const { authorizationUrl, flow: secrets } = await buildAuthorization({
      server,
      metadata: discovered.metadata,
      client,
      redirectUri,
      resource: canonicalResource(server.url),
      scopes,
      store: this.#store,
      fetch,
    });
    if (this.#flows.get(flow.server) !== flow) throw new OAuthError('the login was cancelled');
    flow.secrets = secrets;
    flow.authorizationUrl = authorizationUrl;
    this.#requested.set(server.name, scopes);
    this.#byState.set(secrets.state, flow);
    flow.timer = setTimeout(
      () => flow.finish(new OAuthError('the login was not finished in time; start it again')),
      this.#o.flowTimeoutMs ?? FLOW_TIMEOUT_MS,
    );
    flow.timer.unref();
    this.#logger.info('login started', {
      server: server.name,
      issuer: discovered.metadata.issuer,
      client: client.source,
      scopes: scopes.join(' '),
    });
    this.#changed();
    return authorizationUrl;
  }

  /**
   * The browser came back to the redirect URI. Accepts only the `state` of a pending login, once;
   * anything else changes nothing.
   */
  async handleCallback(params: URLSearchParams): Promise<CallbackOutcome> {
    const state = params.get('state');
    const flow = state === null ? undefined : this.#byState.get(state);
    if (!flow?.secrets || state === null) {
      return {
        ok: false,
        status: 400,
        message:
          'This login response does not belong to a login in progress (it is unknown, already used or expired).',
      };
    }
    this.#byState.delete(state); // single use, whatever happens next
    const server = flow.server;
    try {
      const serverConfig = this.#server(server);
      const tokens = await redeemCallback({
        params,
        flow: flow.secrets,
        store: this.#store,
        fetch: createSafeFetch(discoveryContext(serverConfig)),
      });
      this.#store.saveTokens(server, tokens);
      this.#store.setNeedsLogin(server, undefined);
      this.#challenges.delete(server);
      this.#logger.info('logged in', { server, scopes: tokens.scopes.join(' ') });
      flow.finish();
      return { ok: true, server };
    } catch (error) {
      const failure = error instanceof OAuthError ? error : new OAuthError(String(error));
      this.#logger.warn('login failed', { server, error: failure.message });
      flow.finish(failure);
      return { ok: false, status: 400, message: `The login to "${server}" failed: ${failure.message}` };
    }
  }

  /** Revokes (when the server has a revocation endpoint) and deletes a server's tokens. */
  async logout(name: string): Promise<{ revoked: boolean }> {
    const server = this.#server(name);
    const flow = this.#flows.get(name);
    flow?.finish(new OAuthError('logged out'));
    this.#errors.delete(name);
    const tokens = this.#store.tokens(name);
    this.#store.deleteTokens(name);
    this.#store.setNeedsLogin(name, undefined);
    let revoked = false;
    if (tokens) revoked = await revokeTokens(tokens, this.#store, createSafeFetch(discoveryContext(server)));
    this.#logger.info('logged out', { server: name, revoked });
    this.#changed();
    return { revoked };
  }

  /** The login state of one server (never a token). */
  status(name: string): LoginStatus {
    const flow = this.#flows.get(name);
    if (flow?.authorizationUrl) {
      return { server: name, state: 'in-progress', authorizationUrl: flow.authorizationUrl };
    }
    // The last login attempt's failure is news; "needs login" is the standing state behind it.
    const error = this.#errors.get(name);
    if (error !== undefined) return { server: name, state: 'error', reason: error };
    const needs = this.#store.needsLogin(name);
    if (needs !== undefined) return { server: name, state: 'needs-login', reason: needs };
    const tokens = this.#store.tokens(name);
    if (!tokens) return { server: name, state: 'not-required' };
    return {
      server: name,
      state: 'logged-in',
      issuer: tokens.issuer,
      ...(tokens.account !== undefined ? { account: tokens.account } : {}),
      scopes: tokens.scopes,
      ...(tokens.expiresAt !== undefined ? { expiresAt: new Date(tokens.expiresAt).toISOString() } : {}),
      refreshable: tokens.refreshToken !== undefined,
    };
  }

  list(): LoginStatus[] {
    return this.#o.settings().servers.map((server) => this.status(server.name));
  }

  // ---- staying logged in ----

  /** Refreshes a server's tokens; concurrent callers share one refresh (single flight). */
  #refresh(name: string, stale: StoredTokens): Promise<StoredTokens> {
    const running = this.#refreshing.get(name);
    if (running) return running;
    const refresh = (async () => {
      const current = this.#store.tokens(name);
      // Someone refreshed since `stale` was read: use theirs.
      if (current && current.accessToken !== stale.accessToken) return current;
      const server = this.#server(name);
      try {
        const tokens = await refreshTokens(
          current ?? stale,
          this.#store,
          createSafeFetch(discoveryContext(server)),
        );
        // Saved before anyone uses it: a rotated refresh token must never be lost.
        this.#store.saveTokens(name, tokens);
        this.#logger.info('login refreshed', { server: name });
        this.#changed();
        return tokens;
      } catch (error) {
        if (isPermanentRefreshFailure(error)) {
          this.#store.deleteTokens(name);
          this.#markNeedsLogin(name, `the login expired or was revoked (${(error as Error).message})`);
          throw new UpstreamError('needs-login', 'the login expired or was revoked', 401);
        }
        throw new UpstreamError('unreachable', (error as Error).message);
      }
    })().finally(() => this.#refreshing.delete(name));
    this.#refreshing.set(name, refresh);
    return refresh;
  }

  /** What the upstream transports use for one server (see UpstreamAuth). */
  upstreamAuth(serverName: string, signalTimeoutMs: () => number): UpstreamAuth {
    return {
      header: async () => {
        let tokens = this.#store.tokens(serverName);
        if (!tokens) return undefined;
        if (tokens.refreshToken !== undefined && expiresSoon(tokens)) {
          tokens = await this.#refresh(serverName, tokens);
        }
        return `Bearer ${tokens.accessToken}`;
      },
      unauthorized: async (sent, wwwAuthenticate) => {
        const challenge = parseBearerChallenge(wwwAuthenticate);
        if (challenge) this.#challenges.set(serverName, challenge);
        const tokens = this.#store.tokens(serverName);
        if (tokens && sent !== `Bearer ${tokens.accessToken}`) return true;
        if (!tokens) {
          this.#markNeedsLogin(serverName, 'the server requires a login');
          return false;
        }
        if (tokens.refreshToken === undefined) {
          this.#store.deleteTokens(serverName);
          this.#markNeedsLogin(
            serverName,
            'the server refused the access token and there is no refresh token',
          );
          return false;
        }
        try {
          await this.#refresh(serverName, tokens);
          return true;
        } catch {
          return false;
        }
      },
      insufficientScope: async (wwwAuthenticate, attempt, signal) => {
        if (attempt >= MAX_STEP_UPS) return false;
        const challenge = parseBearerChallenge(wwwAuthenticate) ?? { scheme: 'Bearer' as const };
        const { ready, done } = this.start(serverName, { stepUp: challenge });
        let url: string;
        try {
          url = await ready;
        } catch {
          return false;
        }
        const scopes = challenge.scope?.join(' ') ?? '';
        this.#logger.warn(
          `server needs more permissions; finish the login in the browser (headless: gatehouse login ${serverName})`,
          { server: serverName, scopes, attempt: attempt + 1 },
        );
        this.#o.fire?.({
          type: 'login-needed',
          server: serverName,
          reason: `needs more permissions${scopes ? ` (${scopes})` : ''}: finish the login in the browser`,
        });
        this.#o.openBrowser?.(url);
        return waitFor(done, signal, signalTimeoutMs());
      },
    };
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const flow of [...this.#flows.values()]) flow.finish(new OAuthError('Gatehouse is shutting down'));
  }
}

/**
 * Whether an access token should be refreshed before use: it expires within 30 s, or within a quarter
 * of its lifetime for short-lived tokens (so a 60 s token is not refreshed on every request).
 */
function expiresSoon(tokens: StoredTokens): boolean {
  if (tokens.expiresAt === undefined) return false;
  const lifetime = tokens.expiresAt - Date.parse(tokens.obtainedAt);
  const margin = Math.min(REFRESH_MARGIN_MS, Number.isFinite(lifetime) ? Math.max(0, lifetime / 4) : 0);
  return tokens.expiresAt - Date.now() < margin;
}

/** Resolves true when `done` fulfils, false when it rejects, the signal aborts or the time is up. */
function waitFor(done: Promise<void>, signal: AbortSignal | undefined, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => settle(false), timeoutMs);
    timer.unref();
    const onAbort = () => settle(false);
    function settle(value: boolean) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    }
    if (signal?.aborted) return settle(false);
    signal?.addEventListener('abort', onAbort, { once: true });
    done.then(
      () => settle(true),
      () => settle(false),
    );
  });
}
