import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/main/headless/cli.ts';
import type { CliIO } from '../../../electron/main/headless/cli-io.ts';
import { hashToken } from '../../../electron/main/store/client-tokens.ts';
import { FileSecretStore } from '../../../electron/main/store/secret-store.ts';
import { preferenceKeys, preferencesSchema, readPreference } from '../../../shared/schemas/settings.ts';

interface Run {
  code: number;
  out: string;
  err: string;
}

const SECRET = 'Bearer sk-THIS-IS-SECRET-42';

describe('gatehouse CLI (runCli)', () => {
  let dir: string;
  let settingsFile: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-'));
    settingsFile = path.join(dir, 'settings.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { out: (line) => out.push(line), err: (line) => err.push(line), env };
    const code = await runCli(args, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  /** Runs with `--data-dir` pointing at the test's temp folder. */
  function gh(...args: string[]): Promise<Run> {
    return cli(['--data-dir', dir, ...args]);
  }

  async function ok(...args: string[]): Promise<string> {
    const run = await gh(...args);
    expect(run, `gatehouse ${args.join(' ')}`).toMatchObject({ code: 0, err: '' });
    return run.out;
  }

  function settingsText(): string {
    return fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : '';
  }

  function expectUsageError(run: Run, message: RegExp | string): void {
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    const [first, second] = run.err.split('\n');
    expect(first).toMatch(/^gatehouse: /);
    expect(first).toMatch(message);
    expect(second).toMatch(/^usage: gatehouse /);
  }

  interface ServerJson {
    name: string;
    url: string;
    enabled: boolean;
    trusted: boolean;
    headerNames: string[];
    allowInsecureHttp: boolean;
    endpoint: string;
    status: string;
  }

  async function serversJson(): Promise<ServerJson[]> {
    return JSON.parse(await ok('server', 'list', '--json')) as ServerJson[];
  }

  describe('server', () => {
    it('adds a server with a secret header and lists it', async () => {
      const out = await ok(
        'server',
        'add',
        'docs',
        'https://example.com/mcp',
        '--header',
        `Authorization: ${SECRET}`,
      );
      expect(out).toContain('Added server "docs" (https://example.com/mcp).');
      expect(out).toContain('Stored 1 secret header(s): Authorization.');
      expect(out).toContain('<gateway>/mcp/docs');
      expect(out).not.toContain('sk-THIS-IS-SECRET');

      const list = await ok('server', 'list');
      const [header, row] = list.split('\n');
      expect(header).toMatch(/^NAME\s+URL\s+ENABLED\s+TRUSTED\s+HEADERS\s+STATUS$/);
      expect(row).toMatch(/^docs\s+https:\/\/example\.com\/mcp\s+yes\s+yes\s+Authorization\s+idle$/);

      const json = await serversJson();
      expect(json).toHaveLength(1);
      expect(json[0]).toMatchObject({
        name: 'docs',
        url: 'https://example.com/mcp',
        enabled: true,
        trusted: true,
        headerNames: ['Authorization'],
        allowInsecureHttp: false,
        endpoint: '/mcp/docs',
        status: 'idle',
      });

      // The value went to the secret store, and nowhere the CLI prints or settings.json.
      expect(new FileSecretStore(dir).get('server:docs:header:authorization')).toBe(SECRET);
      expect(settingsText()).not.toContain('sk-THIS-IS-SECRET');
    });

    it('never prints header values back, in any listing', async () => {
      await ok(
        'server',
        'add',
        'docs',
        'https://example.com/mcp',
        '--header',
        `Authorization: ${SECRET}`,
        '--header',
        'X-Api-Key:key-SECRET-99',
      );
      for (const args of [
        ['server', 'list'],
        ['server', 'list', '--json'],
        ['config', 'list'],
      ]) {
        const out = await ok(...args);
        expect(out).not.toContain('SECRET');
      }
      expect((await serversJson())[0]!.headerNames).toEqual(['Authorization', 'X-Api-Key']);
      expect(new FileSecretStore(dir).get('server:docs:header:x-api-key')).toBe('key-SECRET-99');
    });

    it('says so when there are no servers', async () => {
      expect(await ok('server', 'list')).toMatch(/^No servers yet/);
      expect(await serversJson()).toEqual([]);
    });

    it('adds untrusted servers and servers without headers', async () => {
      const out = await ok('server', 'add', 'plain', 'https://example.org/mcp', '--untrusted');
      expect(out).not.toContain('secret header');
      const [server] = await serversJson();
      expect(server).toMatchObject({ name: 'plain', trusted: false, headerNames: [] });
      expect((await ok('server', 'list')).split('\n')[1]).toMatch(/^plain\s+\S+\s+yes\s+no\s+-\s+idle$/);
    });

    it('disables and enables a server', async () => {
      await ok('server', 'add', 'docs', 'https://example.com/mcp');
      expect(await ok('server', 'disable', 'docs')).toBe('Server "docs" disabled.');
      expect((await serversJson())[0]).toMatchObject({ enabled: false, status: 'disabled' });
      expect((await ok('server', 'list')).split('\n')[1]).toMatch(/^docs\s+\S+\s+no\s+yes\s+-\s+disabled$/);
      expect(await ok('server', 'enable', 'docs')).toBe('Server "docs" enabled.');
      expect((await serversJson())[0]).toMatchObject({ enabled: true, status: 'idle' });
    });

    it('removes a server and its secrets, leaving other servers alone', async () => {
      await ok('server', 'add', 'docs', 'https://example.com/mcp', '--header', `Authorization: ${SECRET}`);
      await ok('server', 'add', 'docs2', 'https://example.com/mcp2', '--header', 'Authorization: keep-me');
      expect(await ok('server', 'remove', 'docs')).toBe('Removed server "docs" and its secrets.');
      expect((await serversJson()).map((s) => s.name)).toEqual(['docs2']);
      const secrets = new FileSecretStore(dir);
      expect(secrets.get('server:docs:header:authorization')).toBeUndefined();
      expect(secrets.get('server:docs2:header:authorization')).toBe('keep-me');
    });

    it.each([
      ['remove', ['server', 'remove', 'ghost']],
      ['enable', ['server', 'enable', 'ghost']],
      ['disable', ['server', 'disable', 'ghost']],
    ])('%s of an unknown server fails with exit 1', async (_label, args) => {
      const run = await gh(...args);
      expect(run).toMatchObject({ code: 1, out: '' });
      expect(run.err).toBe('gatehouse: no server named "ghost"');
    });

    it('refuses a duplicate name and keeps the first server and its secret', async () => {
      await ok('server', 'add', 'docs', 'https://example.com/mcp', '--header', `Authorization: ${SECRET}`);
      const before = settingsText();
      const run = await gh(
        'server',
        'add',
        'docs',
        'https://other.example/mcp',
        '--header',
        'Authorization: other',
      );
      expect(run.code).toBe(1);
      expect(run.err).toBe('gatehouse: a server named "docs" already exists');
      expect(settingsText()).toBe(before);
      expect(new FileSecretStore(dir).get('server:docs:header:authorization')).toBe(SECRET);
    });

    it('refuses plain http to another machine unless --allow-insecure-http', async () => {
      const refused = await gh('server', 'add', 'remote', 'http://example.com/mcp');
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/^gatehouse: http:\/\/example\.com is not encrypted/);
      expect(refused.err).toContain('--allow-insecure-http');
      expect(settingsText()).toBe('');

      await ok('server', 'add', 'remote', 'http://example.com/mcp', '--allow-insecure-http');
      expect((await serversJson())[0]).toMatchObject({
        url: 'http://example.com/mcp',
        allowInsecureHttp: true,
      });
    });

    it('allows plain http to loopback', async () => {
      await ok('server', 'add', 'local', 'http://127.0.0.1:3000/mcp');
      await ok('server', 'add', 'local2', 'http://localhost:3001/mcp');
      expect((await serversJson()).map((s) => s.allowInsecureHttp)).toEqual([false, false]);
    });

    it.each([
      ['credentials in the URL', ['https://u:p@example.com/mcp'], /do not put credentials in the URL/],
      ['a non-http URL', ['ftp://example.com/mcp'], /only http and https/],
      ['something that is not a URL', ['example.com'], /is not a URL/],
    ])('refuses %s with exit 1 and writes nothing', async (_label, url, message) => {
      const run = await gh('server', 'add', 'x', ...url);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(message);
      expect(settingsText()).toBe('');
    });

    it.each([
      ['an upper-case name', 'Docs', /name/],
      ['a name with a slash', 'a/b', /name/],
      ['an empty header value', 'docs', /headers/, 'X-Key:'],
    ])('refuses %s with exit 1 and stores no secret', async (_label, name, message, header?: string) => {
      const args = ['server', 'add', name, 'https://example.com/mcp'];
      if (header) args.push('--header', header);
      const run = await gh(...args);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/^gatehouse: /);
      expect(run.err).toMatch(message);
      expect(run.err).not.toMatch(/unexpected error/);
      expect(settingsText()).toBe('');
      expect(fs.existsSync(path.join(dir, 'secrets.json'))).toBe(false);
    });

    it.each([
      ['a forbidden header', 'Host: evil.com', 'header "Host": this header is set by Gatehouse itself'],
      [
        'a forbidden header in lower case',
        'content-type: text/plain',
        'header "content-type": this header is set by Gatehouse itself',
      ],
      [
        'a header Gatehouse sets for the session',
        'Mcp-Session-Id: abc',
        'header "Mcp-Session-Id": this header is set by Gatehouse itself',
      ],
      ['an invalid header name', 'X Key: v', 'header "X Key": not a valid HTTP header name'],
      ['a header name with non-ASCII', 'X-Clé: v', 'header "X-Clé": not a valid HTTP header name'],
    ])('refuses %s with exit 1, naming the header, and stores no secret', async (_label, header, message) => {
      const run = await gh('server', 'add', 'docs', 'https://example.com/mcp', '--header', header);
      expect(run.code).toBe(1);
      expect(run.out).toBe('');
      expect(run.err).toBe(`gatehouse: ${message}`);
      expect(settingsText()).toBe('');
      expect(fs.existsSync(path.join(dir, 'secrets.json'))).toBe(false);
    });

    it('checks every header name before anything else and names the bad one', async () => {
      // A valid header first, then a forbidden one, on a URL that would also be refused: the header wins.
      const run = await gh(
        'server',
        'add',
        'docs',
        'http://example.com/mcp',
        '--header',
        `Authorization: ${SECRET}`,
        '--header',
        'Connection: close',
      );
      expect(run).toEqual({
        code: 1,
        out: '',
        err: 'gatehouse: header "Connection": this header is set by Gatehouse itself',
      });
      expect(settingsText()).toBe('');
      expect(fs.existsSync(path.join(dir, 'secrets.json'))).toBe(false);
    });

    it('refuses a bad header name for a second server without touching the first one', async () => {
      await ok('server', 'add', 'docs', 'https://example.com/mcp', '--header', `Authorization: ${SECRET}`);
      const before = settingsText();
      const secretsBefore = fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8');
      const run = await gh('server', 'add', 'other', 'https://example.com/mcp', '--header', 'Host: x');
      expect(run.code).toBe(1);
      expect(run.err).toBe('gatehouse: header "Host": this header is set by Gatehouse itself');
      expect(settingsText()).toBe(before);
      expect(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')).toBe(secretsBefore);
    });

    it.each([
      ['no colon', 'Authorization Bearer x'],
      ['a leading colon', ': value'],
      ['nothing', ''],
    ])('refuses a header with %s as a usage error', async (_label, header) => {
      const run = await gh('server', 'add', 'docs', 'https://example.com/mcp', '--header', header);
      expectUsageError(run, /--header must look like "Name: value"/);
      expect(settingsText()).toBe('');
      expect(fs.existsSync(path.join(dir, 'secrets.json'))).toBe(false);
    });

    it('trims spaces around header names and values', async () => {
      await ok('server', 'add', 'docs', 'https://example.com/mcp', '--header', '  X-Key  :   v a l  ');
      expect((await serversJson())[0]!.headerNames).toEqual(['X-Key']);
      expect(new FileSecretStore(dir).get('server:docs:header:x-key')).toBe('v a l');
    });
  });

  describe('client', () => {
    it('prints a new token once; the list never shows it or its hash', async () => {
      const out = await ok('client', 'add', 'laptop');
      const tokens = out.match(/ghc_[A-Za-z0-9_-]{43}/g) ?? [];
      expect(tokens).toHaveLength(1);
      const token = tokens[0]!;
      expect(out).toContain('shown only this once');
      expect(out).toContain(`Bearer ${token.slice(0, 8)}…`);

      // Only the hash is stored.
      const settings = settingsText();
      expect(settings).not.toContain(token);
      expect(settings).toContain(hashToken(token));

      const listJson = await ok('client', 'list', '--json');
      const clients = JSON.parse(listJson) as Record<string, unknown>[];
      expect(clients).toHaveLength(1);
      expect(clients[0]).toMatchObject({ name: 'laptop', active: true, liveSessions: 0 });
      expect(Object.keys(clients[0]!).sort()).toEqual(['active', 'createdAt', 'liveSessions', 'name']);
      expect(listJson).not.toContain(token);
      expect(listJson).not.toContain(hashToken(token));
      expect(listJson).not.toMatch(/ghc_|token|hash/i);

      const list = await ok('client', 'list');
      expect(list).toMatch(
        /^NAME\s+STATE\s+CREATED\s+SESSIONS\s+SERVERS\s+TOOLS\nlaptop\s+active\s+\S+\s+0\s+all\s+all$/,
      );
      expect(list).not.toContain(token.slice(4));
      expect(list).not.toContain(hashToken(token));
    });

    it('sets which servers a client may reach and which tools it sees, and puts back "all"', async () => {
      await ok('server', 'add', 'docs', 'https://example.com/mcp');
      await ok('server', 'add', 'git', 'https://example.org/mcp');
      await ok('client', 'add', 'laptop');
      expect(
        await ok('client', 'access', 'laptop', '--servers', 'docs, git', '--tools', 'docs__*,read_*'),
      ).toBe('Client "laptop" reaches docs, git and sees the tools matching docs__*, read_*.');
      const listed = JSON.parse(await ok('client', 'list', '--json')) as Record<string, unknown>[];
      expect(listed[0]).toMatchObject({ servers: ['docs', 'git'], toolFilter: ['docs__*', 'read_*'] });
      expect(await ok('client', 'list')).toMatch(/laptop\s+active\s+\S+\s+0\s+docs,git\s+docs__\*,read_\*$/);

      expect(await ok('client', 'access', 'laptop', '--all-servers', '--all-tools')).toBe(
        'Client "laptop" reaches every server and sees every tool.',
      );
      const reset = JSON.parse(await ok('client', 'list', '--json')) as Record<string, unknown>[];
      expect(reset[0]).not.toHaveProperty('servers');
      expect(reset[0]).not.toHaveProperty('toolFilter');

      const unknown = await gh('client', 'access', 'laptop', '--servers', 'nope');
      expect(unknown.code).toBe(1);
      expect(unknown.err).toMatch(/no server named "nope"/);
      expectUsageError(
        await gh('client', 'access', 'laptop', '--servers', 'docs', '--all-servers'),
        /--servers or --all-servers/,
      );
    });

    it('gives every client its own token', async () => {
      const a = (await ok('client', 'add', 'a')).match(/ghc_\S+/)![0];
      const b = (await ok('client', 'add', 'b')).match(/ghc_\S+/)![0];
      expect(a).not.toBe(b);
    });

    it('refuses a second active client with the same name, and allows it after revoke', async () => {
      const first = (await ok('client', 'add', 'laptop')).match(/ghc_\S+/)![0];
      const dup = await gh('client', 'add', 'laptop');
      expect(dup.code).toBe(1);
      expect(dup.err).toMatch(/a client named "laptop" already exists; revoke it first/);
      expect(dup.out).not.toMatch(/ghc_/);

      expect(await ok('client', 'revoke', 'laptop')).toMatch(/^Revoked client "laptop"/);
      const revoked = JSON.parse(await ok('client', 'list', '--json')) as {
        active: boolean;
        revokedAt?: string;
      }[];
      expect(revoked[0]!.active).toBe(false);
      expect(revoked[0]!.revokedAt).toMatch(/^\d{4}-/);
      expect(await ok('client', 'list')).toMatch(/laptop\s+revoked \d{4}-/);

      const second = (await ok('client', 'add', 'laptop')).match(/ghc_\S+/)![0];
      expect(second).not.toBe(first);
      const after = JSON.parse(await ok('client', 'list', '--json')) as { name: string; active: boolean }[];
      expect(after).toEqual([expect.objectContaining({ name: 'laptop', active: true })]);
      expect(settingsText()).not.toContain(hashToken(first));
    });

    it('refuses to revoke an unknown or already revoked client', async () => {
      expect(await gh('client', 'revoke', 'ghost')).toMatchObject({
        code: 1,
        err: 'gatehouse: no active client named "ghost"',
      });
      await ok('client', 'add', 'laptop');
      await ok('client', 'revoke', 'laptop');
      expect((await gh('client', 'revoke', 'laptop')).code).toBe(1);
    });

    it('refuses an invalid client name and prints no token', async () => {
      const run = await gh('client', 'add', '-bad name');
      expect(run.code).not.toBe(0);
      expect(run.out).not.toMatch(/ghc_/);
      expect(settingsText()).not.toContain('bad name');
    });

    it('says so when there are no clients', async () => {
      expect(await ok('client', 'list')).toMatch(/^No clients yet/);
      expect(await ok('client', 'list', '--json')).toBe('[]');
    });
  });

  describe('config', () => {
    it('lists every preference with its default', async () => {
      const defaults = preferencesSchema.parse({});
      expect((await ok('config', 'list')).split('\n')).toEqual(
        preferenceKeys.map((key) => `${key} = ${JSON.stringify(readPreference(defaults, key))}`),
      );
    });

    it('lists a value for every key, none of them missing', async () => {
      const lines = (await ok('config', 'list')).split('\n');
      expect(lines).toHaveLength(preferenceKeys.length);
      for (const line of lines) expect(line).toMatch(/^[a-zA-Z.]+ = (?:\d+|true|false|"[a-z]+")$/);
      expect(lines).toContain('gateway.port = 7337');
      expect(lines).toContain('policy.defaults.write = "ask"');
      expect(lines).toContain('approvals.timeoutSeconds = 120');
      expect(lines).toContain('audit.durable = false');
    });

    it('gets every preference key', async () => {
      const defaults = preferencesSchema.parse({});
      for (const key of preferenceKeys) {
        expect(await ok('config', 'get', key), key).toBe(JSON.stringify(readPreference(defaults, key)));
      }
    });

    it('sets a three-level key, keeping its neighbours', async () => {
      expect(await ok('config', 'set', 'policy.defaults.write', 'deny')).toBe(
        'policy.defaults.write = "deny"',
      );
      expect(await ok('config', 'get', 'policy.defaults.write')).toBe('"deny"');
      const saved = JSON.parse(settingsText()) as { policy: { defaults: Record<string, string> } };
      expect(saved.policy.defaults).toEqual({
        read: 'allow',
        write: 'deny',
        destructive: 'ask',
        unknown: 'ask',
      });
      expect(await ok('config', 'list')).toContain('policy.defaults.write = "deny"');
      expect(await ok('config', 'list')).toContain('policy.defaults.read = "allow"');
    });

    it('sets the approval and audit preferences', async () => {
      expect(await ok('config', 'set', 'approvals.timeoutSeconds', '300')).toBe(
        'approvals.timeoutSeconds = 300',
      );
      expect(await ok('config', 'set', 'audit.retentionDays', '30')).toBe('audit.retentionDays = 30');
      expect(await ok('config', 'set', 'audit.durable', 'true')).toBe('audit.durable = true');
      const saved = JSON.parse(settingsText()) as { approvals: unknown; audit: unknown };
      expect(saved.approvals).toEqual({ timeoutSeconds: 300 });
      expect(saved.audit).toEqual({ retentionDays: 30, durable: true });
    });

    it('gets and sets values, writing them to settings.json', async () => {
      expect(await ok('config', 'get', 'gateway.port')).toBe('7337');
      const out = await ok('config', 'set', 'gateway.port', '8080');
      expect(out).toBe('gateway.port = 8080\nThe new port applies the next time the gateway starts.');
      expect(await ok('config', 'get', 'gateway.port')).toBe('8080');
      expect((JSON.parse(settingsText()) as { gateway: { port: number } }).gateway.port).toBe(8080);

      expect(await ok('config', 'set', 'sessions.idleMinutes', '2.5')).toBe('sessions.idleMinutes = 2.5');
      expect(await ok('config', 'list')).toContain('sessions.idleMinutes = 2.5');
    });

    it.each([
      ['gateway.port', 'abc', /^gatehouse: gateway\.port: .*expected number/],
      ['gateway.port', '70000', /^gatehouse: gateway\.port: /],
      ['gateway.port', '65536', /^gatehouse: gateway\.port: /],
      ['gateway.port', '1.5', /^gatehouse: gateway\.port: /],
      ['gateway.port', 'true', /^gatehouse: gateway\.port: /],
      ['gateway.port', '"8080"', /^gatehouse: gateway\.port: /],
      ['gateway.port', 'null', /^gatehouse: gateway\.port: /],
      ['upstream.timeoutSeconds', '0', /^gatehouse: upstream\.timeoutSeconds: /],
      ['upstream.maxMessageMiB', '4096', /^gatehouse: upstream\.maxMessageMiB: /],
      ['policy.defaults.write', 'maybe', /^gatehouse: policy\.defaults\.write: .*"allow"\|"ask"\|"deny"/],
      ['policy.defaults.read', 'hide', /^gatehouse: policy\.defaults\.read: /],
      ['approvals.timeoutSeconds', '1', /^gatehouse: approvals\.timeoutSeconds: .*>=5/],
      ['approvals.timeoutSeconds', '7.5', /^gatehouse: approvals\.timeoutSeconds: /],
      ['audit.retentionDays', '0', /^gatehouse: audit\.retentionDays: /],
      ['audit.durable', 'yes', /^gatehouse: audit\.durable: .*expected boolean/],
    ])('config set %s %s fails the schema: exit 1, nothing written', async (key, value, message) => {
      await ok('config', 'set', 'gateway.port', '9000');
      const before = settingsText();
      const run = await gh('config', 'set', key, value);
      expect(run.code).toBe(1);
      expect(run.out).toBe('');
      expect(run.err).toMatch(message);
      expect(settingsText()).toBe(before);
      expect(await ok('config', 'get', 'gateway.port')).toBe('9000');
    });

    it('writes no file at all when the first change is refused', async () => {
      expect((await gh('config', 'set', 'gateway.port', 'abc')).code).toBe(1);
      expect(fs.existsSync(settingsFile)).toBe(false);
    });

    it.each([
      ['get', ['config', 'get', 'gateway.nope']],
      ['set', ['config', 'set', 'servers', '[]']],
      ['set a non-preference', ['config', 'set', 'schemaVersion', '2']],
      ['set a whole section', ['config', 'set', 'policy.defaults', '{}']],
      ['get a section', ['config', 'get', 'policy']],
      ['set the rules', ['config', 'set', 'rules', '[]']],
      ['set the pause', ['config', 'set', 'pause', '{}']],
    ])('refuses an unknown key for %s as a usage error', async (_label, args) => {
      expectUsageError(await gh(...args), /unknown key ".*" \(keys: gateway\.port, /);
      expect(settingsText()).toBe('');
    });
  });

  describe('usage', () => {
    it.each([
      ['server add without url', ['server', 'add', 'docs'], /missing arguments/],
      [
        'server add with an extra argument',
        ['server', 'add', 'a', 'https://x.example', 'extra'],
        /unexpected argument "extra"/,
      ],
      ['server list with an argument', ['server', 'list', 'x'], /unexpected argument "x"/],
      ['server remove without name', ['server', 'remove'], /missing arguments/],
      ['server with an unknown option', ['server', 'list', '--yaml'], /Unknown option '--yaml'/],
      [
        'server add with --header but no value',
        ['server', 'add', 'a', 'https://x.example', '--header'],
        /--header/,
      ],
      ['server without subcommand', ['server'], /missing command/],
      ['an unknown server subcommand', ['server', 'frob'], /unknown command "server frob"/],
      ['client add without name', ['client', 'add'], /missing arguments/],
      ['client list with an unknown option', ['client', 'list', '--all'], /Unknown option '--all'/],
      ['client without subcommand', ['client'], /missing command/],
      ['an unknown client subcommand', ['client', 'delete', 'x'], /unknown command "client delete"/],
      ['config get without key', ['config', 'get'], /missing arguments/],
      ['config set without value', ['config', 'set', 'gateway.port'], /missing arguments/],
      ['config list with an argument', ['config', 'list', 'x'], /unexpected argument "x"/],
      ['config without subcommand', ['config'], /missing command/],
      ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
      ['a misspelled command', ['servers', 'list'], /unknown command "servers"/],
    ])('%s: usage on stderr, exit 2', async (_label, args, message) => {
      expectUsageError(await gh(...args), message);
      expect(fs.existsSync(settingsFile)).toBe(false);
    });

    it('--data-dir without a folder is a usage error', async () => {
      const run = await cli(['server', 'list', '--data-dir']);
      expectUsageError(run, /--data-dir needs a folder/);
    });

    it.each([['help'], ['--help'], ['-h']])('%s prints the usage on stdout and exits 0', async (flag) => {
      const run = await gh(flag);
      expect(run.code).toBe(0);
      expect(run.err).toBe('');
      expect(run.out).toMatch(/^usage: gatehouse serve/);
      for (const command of ['server add', 'server list', 'client add', 'client revoke', 'config set']) {
        expect(run.out).toContain(`gatehouse ${command}`);
      }
    });

    it('with no command at all exits 2 with the usage on stderr', async () => {
      const run = await gh();
      expect(run.code).toBe(2);
      expect(run.out).toBe('');
      expect(run.err).toMatch(/^usage: gatehouse serve/);
    });
  });

  describe('data folder', () => {
    it('accepts --data-dir=DIR and --data-dir anywhere on the line', async () => {
      await cli(['server', 'add', 'a', 'https://example.com/mcp', `--data-dir=${dir}`]).then((r) =>
        expect(r.code).toBe(0),
      );
      await cli(['server', '--data-dir', dir, 'add', 'b', 'https://example.com/mcp']).then((r) =>
        expect(r.code).toBe(0),
      );
      expect((await serversJson()).map((s) => s.name)).toEqual(['a', 'b']);
    });

    it('uses GATEHOUSE_DATA_DIR when there is no --data-dir, and --data-dir wins over it', async () => {
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-env-'));
      try {
        expect((await cli(['client', 'add', 'via-env'], { GATEHOUSE_DATA_DIR: dir })).code).toBe(0);
        expect(await ok('client', 'list')).toContain('via-env');
        expect(
          (await cli(['--data-dir', other, 'client', 'add', 'via-flag'], { GATEHOUSE_DATA_DIR: dir })).code,
        ).toBe(0);
        expect(await ok('client', 'list')).not.toContain('via-flag');
        expect(fs.readFileSync(path.join(other, 'settings.json'), 'utf8')).toContain('via-flag');
      } finally {
        fs.rmSync(other, { recursive: true, force: true });
      }
    });

    it('creates a missing data folder readable by the owner only', async () => {
      const nested = path.join(dir, 'a', 'b');
      expect((await cli(['--data-dir', nested, 'client', 'add', 'x'])).code).toBe(0);
      if (process.platform !== 'win32') expect(fs.statSync(nested).mode & 0o777).toBe(0o700);
    });

    it('refuses to work on a corrupt settings.json, leaving it untouched', async () => {
      fs.writeFileSync(settingsFile, '{ corrupt');
      for (const args of [
        ['server', 'list'],
        ['config', 'set', 'gateway.port', '8080'],
      ]) {
        const run = await gh(...args);
        expect(run.code).toBe(1);
        expect(run.err).toMatch(/^gatehouse: .*settings\.json cannot be used/);
        expect(run.err).not.toMatch(/unexpected error/);
      }
      expect(fs.readFileSync(settingsFile, 'utf8')).toBe('{ corrupt');
      expect(fs.readdirSync(dir)).toEqual(['settings.json']);
    });
  });
});
