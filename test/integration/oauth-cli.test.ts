import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/main/headless/cli.ts';
import type { CliIO } from '../../electron/main/headless/cli-io.ts';
import type { AuthorizationServerOptions } from '../fixtures/oauth/authorization-server.ts';
import { completeLogin, visitCallback } from '../fixtures/oauth/gateway-login.ts';
import type { ProtectedMcpServer } from '../fixtures/oauth/protected-mcp-server.ts';
import { getFreePort } from '../helpers/free-port.ts';
import { waitFor } from '../helpers/wait.ts';
import { spawnGatehouse, startServe } from './support/gatehouse-process.ts';
import { startGateway } from './support/gateway-harness.ts';
import { oauthTestbed } from './support/oauth-testbed.ts';

const { defer, authServer, mcpServer } = oauthTestbed();

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-oauth-cli-'));
  defer(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function fixtures(
  asOptions: AuthorizationServerOptions = {},
): Promise<{ mcp: ProtectedMcpServer; issuer: string }> {
  const as = await authServer(asOptions);
  const mcp = await mcpServer({ issuer: as.issuer });
  return { mcp, issuer: as.issuer };
}

/** An in-process CLI run whose output is captured line by line. */
function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: (line) => lines.push(...line.split('\n')),
    err: (line) => errors.push(...line.split('\n')),
    env: { ...process.env, GATEHOUSE_NO_BROWSER: '1' },
  };
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await runCli(args, io);
  return { code, out: io.lines.join('\n'), err: io.errors.join('\n') };
}

/** A `gatehouse` child process (no browser), stopped after the test. */
function child(args: string[], input?: string) {
  const run = spawnGatehouse(args, { env: { GATEHOUSE_NO_BROWSER: '1' }, input: input ?? '' });
  defer(async () => {
    if (run.child.exitCode === null) run.child.kill('SIGTERM');
  });
  return run;
}

function authorizationUrlIn(text: string): string | undefined {
  return /^(https?:\/\/\S+\/auth\?\S+)$/m.exec(text)?.[1];
}

/** Every file under `dir` (recursively) except the secret store, as text. */
function filesExceptSecrets(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === 'secrets.json') continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(file, fs.readFileSync(file).toString('latin1'));
  }
  return files;
}

function storedSecrets(dir: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')) as Record<string, string>;
}

function storedTokens(dir: string): { accessToken: string; refreshToken: string; expiresAt: number } {
  const raw = storedSecrets(dir)['server:remote:oauth:tokens'] ?? '';
  return JSON.parse(raw.replace(/^plain:/, '')) as {
    accessToken: string;
    refreshToken: string;
    expiresAt: number;
  };
}

describe('gatehouse login', () => {
  it(
    'logs in through a running `gatehouse serve`; no token ends up anywhere but the secret store',
    { timeout: 120_000 },
    async () => {
      const { mcp } = await fixtures();
      const dataDir = tempDir();
      expect((await cli(['server', 'add', 'remote', mcp.url, '--data-dir', dataDir])).code).toBe(0);
      expect((await cli(['policy', 'add', '--action', 'allow', '--data-dir', dataDir])).code).toBe(0);
      const added = await cli(['client', 'add', 'desk', '--data-dir', dataDir]);
      const clientToken = /gh[ca]_[A-Za-z0-9_-]+/.exec(added.out)?.[0] ?? '';
      expect(clientToken).not.toBe('');

      process.env.GATEHOUSE_LOG_LEVEL = 'debug';
      const serve = await startServe(dataDir);
      delete process.env.GATEHOUSE_LOG_LEVEL;
      defer(() => serve.stop());

      // Before any login a client gets a clear error at once, and headless serve says what to do.
      const early = await fetch(`${serve.url}/mcp/remote`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${clientToken}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 't', version: '1' },
          },
        }),
      });
      expect(await early.text()).toContain('requires a login');
      await waitFor(() =>
        serve
          .output()
          .includes(
            'log in to server "remote" (the server requires a login): run `gatehouse login remote` or use the Logins page',
          ),
      );

      const login = child(['login', 'remote', '--data-dir', dataDir]);
      const url = await waitFor(() => authorizationUrlIn(login.stdout()), 20_000);
      expect(new URL(url).searchParams.get('redirect_uri')).toBe(`${serve.url}/oauth/callback`);
      const visit = await completeLogin(url);
      expect(visit.status).toBe(200);
      expect(await login.exited).toBe(0);
      expect(login.stdout()).toContain('Logged in to "remote"');
      const code = visit.callback.searchParams.get('code') ?? '';

      // Calls through the running gateway use the login.
      const client = new Client({ name: 'cli-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${serve.url}/mcp/remote`), {
          requestInit: { headers: { authorization: `Bearer ${clientToken}` } },
        }),
      );
      defer(() => client.close());
      const responses: unknown[] = [];
      responses.push(await client.callTool({ name: 'whoami', arguments: {} }));
      // Make the running gateway refresh (it reads the secret store on each use).
      const first = storedTokens(dataDir);
      const secrets = storedSecrets(dataDir);
      secrets['server:remote:oauth:tokens'] =
        `plain:${JSON.stringify({ ...first, expiresAt: Date.now() - 1000 })}`;
      fs.writeFileSync(path.join(dataDir, 'secrets.json'), JSON.stringify(secrets));
      responses.push(await client.callTool({ name: 'echo', arguments: { message: 'after refresh' } }));
      responses.push(await client.listTools());
      const second = storedTokens(dataDir);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await client.close();

      const logout = await cli(['logout', 'remote', '--data-dir', dataDir]);
      expect(logout.code).toBe(0);
      expect(storedSecrets(dataDir)['server:remote:oauth:tokens']).toBeUndefined();
      await serve.stop();

      // The upstream only ever saw its own tokens, never the client's.
      expect(mcp.seenAuthorization.length).toBeGreaterThan(0);
      for (const header of mcp.seenAuthorization) expect(header).not.toContain(clientToken);
      expect(mcp.seenAuthorization).toContain(`Bearer ${first.accessToken}`);

      const secretsToFind = {
        'access token': first.accessToken,
        'refresh token': first.refreshToken,
        'rotated access token': second.accessToken,
        'rotated refresh token': second.refreshToken,
        'authorization code': code,
      };
      const places = new Map<string, string>([
        ['serve output', serve.output()],
        ['login output', login.stdout() + login.stderr()],
        ['client responses', JSON.stringify(responses)],
        ...filesExceptSecrets(dataDir),
      ]);
      expect(places.size).toBeGreaterThan(3);
      expect([...places.keys()].some((file) => file.endsWith('settings.json'))).toBe(true);
      // The audit log recorded the calls, so searching it means something.
      expect(
        [...places].some(([file, text]) => file.includes('audit.sqlite') && text.includes('whoami')),
      ).toBe(true);
      for (const [what, secret] of Object.entries(secretsToFind)) {
        expect(secret.length, what).toBeGreaterThan(10);
        for (const [where, text] of places) expect(text.includes(secret), `${what} in ${where}`).toBe(false);
      }
      // The serve log did record the login and the refresh (so the search looked at a real log).
      expect(serve.output()).toMatch(/logged in/);
      expect(serve.output()).toMatch(/login refreshed/);
    },
  );

  it('logs in while Gatehouse is not running, on the configured port; the gateway then uses the login', async () => {
    const { mcp } = await fixtures();
    const dataDir = tempDir();
    const port = await getFreePort();
    expect((await cli(['config', 'set', 'gateway.port', String(port), '--data-dir', dataDir])).code).toBe(0);
    expect((await cli(['server', 'add', 'remote', mcp.url, '--data-dir', dataDir])).code).toBe(0);

    const io = capture();
    const running = runCli(['login', 'remote', '--data-dir', dataDir], io);
    const url = await waitFor(() => authorizationUrlIn(io.lines.join('\n')));
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/oauth/callback`);
    expect((await completeLogin(url)).status).toBe(200);
    expect(await running).toBe(0);
    expect(io.lines.join('\n')).toContain('Logged in to "remote"');

    const h = await startGateway({ dataDir, allowAll: true });
    defer(() => h.stop());
    const { client } = await h.connect('remote', await h.addClient('c'));
    const result = await client.callTool({ name: 'echo', arguments: { message: 'offline login' } });
    expect((result.content as { text: string }[])[0]?.text).toBe('offline login');
    expect((await h.core.services['logins.list']())[0]).toMatchObject({ state: 'logged-in' });
  });

  it('exits non-zero with the reason when the login cannot happen', async () => {
    const { mcp } = await fixtures({ omitCodeChallengeMethods: true });
    const dataDir = tempDir();
    await cli(['config', 'set', 'gateway.port', String(await getFreePort()), '--data-dir', dataDir]);
    await cli(['server', 'add', 'remote', mcp.url, '--data-dir', dataDir]);
    const result = await cli(['login', 'remote', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/S256/);
    const unknown = await cli(['login', 'nope', '--data-dir', dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no server named "nope"');
    expect((await cli(['login', '--data-dir', dataDir])).code).toBe(2);
  });

  it('server add takes a client id, a secret from stdin, scopes and authorize parameters', async () => {
    const { mcp, issuer } = await fixtures();
    const dataDir = tempDir();
    const add = child(
      [
        'server',
        'add',
        'remote',
        mcp.url,
        '--client-id',
        'my-client',
        '--client-secret-stdin',
        '--scope',
        'mcp:read',
        '--scope',
        'offline_access',
        '--auth-param',
        'access_type=offline',
        '--auth-param',
        'prompt=consent',
        '--allow-missing-s256',
        '--data-dir',
        dataDir,
      ],
      'client-secret-from-stdin-0123456789\n',
    );
    expect(await add.exited).toBe(0);
    expect(add.stdout()).toContain('client secret stored');
    const settings = fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8');
    const parsed = JSON.parse(settings) as { servers: { auth: unknown }[] };
    expect(parsed.servers[0]?.auth).toEqual({
      clientId: 'my-client',
      scopes: ['mcp:read', 'offline_access'],
      authParams: { access_type: 'offline', prompt: 'consent' },
      allowMissingS256: true,
    });
    expect(settings).not.toContain('client-secret-from-stdin');
    expect(add.stdout() + add.stderr()).not.toContain('client-secret-from-stdin');
    expect(storedSecrets(dataDir)['server:remote:oauth:client-secret']).toBe(
      'plain:client-secret-from-stdin-0123456789',
    );

    // The authorize parameters reach the authorization URL; Gatehouse's own parameters cannot be replaced.
    await cli(['config', 'set', 'gateway.port', String(await getFreePort()), '--data-dir', dataDir]);
    const io = capture();
    const running = runCli(['login', 'remote', '--data-dir', dataDir], io);
    const url = new URL(await waitFor(() => authorizationUrlIn(io.lines.join('\n'))));
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('client_id')).toBe('my-client');
    expect(url.searchParams.get('resource')).toBe(mcp.url);
    // The person declines at the authorization server: the browser comes back with an error.
    const callback = new URL(url.searchParams.get('redirect_uri') ?? '');
    callback.searchParams.set('error', 'access_denied');
    callback.searchParams.set('state', url.searchParams.get('state') ?? '');
    callback.searchParams.set('iss', issuer);
    const visit = await visitCallback(callback);
    expect(visit.status).toBe(400);
    expect(visit.body).toContain('access_denied');
    expect(await running).toBe(1);
    expect(io.errors.join('\n')).toMatch(/login to "remote" failed: .*access_denied/);
  });
});
