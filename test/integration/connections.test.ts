import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { clientKinds, type ClientKind } from '../../shared/schemas/connections.ts';
import { ConnectionService } from '../../electron/main/connections/connection-service.ts';
import { gatehouseScript } from '../../electron/main/connections/bridge-launch.ts';
import { serverHeaderKey } from '../../electron/main/gateway/server-secrets.ts';
import { startMutableServer, type MutableServer } from '../fixtures/mutable-server.ts';
import { startGateway, type GatewayHarness } from './support/gateway-harness.ts';

/** Where each client keeps its config under a Linux HOME (XDG defaults), relative to HOME. */
const CONFIG: Record<ClientKind, string> = {
  'claude-code': '.claude.json',
  'claude-desktop': '.config/Claude/claude_desktop_config.json',
  cursor: '.cursor/mcp.json',
  vscode: '.config/Code/User/mcp.json',
  windsurf: '.codeium/windsurf/mcp_config.json',
  codex: '.codex/config.toml',
  gemini: '.gemini/settings.json',
};

/** A realistic existing config per client: unrelated settings, a local server, a remote one (adoptable). */
function fixture(kind: ClientKind, upstream: string): string {
  const remoteHeaders = { Authorization: 'Bearer upstream-secret' };
  switch (kind) {
    case 'claude-code':
      return `${JSON.stringify(
        {
          numStartups: 12,
          mcpServers: {
            local: { type: 'stdio', command: 'npx', args: ['-y', 'some-server'], env: {} },
            remote: { type: 'http', url: upstream, headers: remoteHeaders },
          },
          projects: { '/home/me/app': { mcpServers: { project: { command: 'x' } } } },
        },
        null,
        2,
      )}\n`;
    case 'claude-desktop':
      return `${JSON.stringify(
        {
          globalShortcut: 'Ctrl+Space',
          mcpServers: {
            local: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
            remote: {
              command: 'npx',
              args: ['-y', 'mcp-remote', upstream, '--header', 'Authorization:${AUTH}'],
              env: { AUTH: 'Bearer upstream-secret' },
            },
          },
        },
        null,
        2,
      )}\n`;
    case 'cursor':
      return `{\n  "mcpServers": {\n    "local": { "command": "npx", "args": ["-y", "some-server"] },\n    "remote": { "url": "${upstream}", "headers": { "Authorization": "Bearer upstream-secret" } }\n  }\n}\n`;
    case 'vscode':
      return [
        '{',
        '  // My MCP servers (VS Code user profile)',
        '  "servers": {',
        '    /* a local one */',
        '    "local": { "type": "stdio", "command": "npx", "args": ["-y", "some-server"] },',
        `    "remote": { "type": "http", "url": "${upstream}", "headers": { "Authorization": "Bearer upstream-secret" } }, // trailing comma`,
        '  },',
        '  "inputs": [],',
        '}',
        '',
      ].join('\n');
    case 'windsurf':
      return `{\n\t"mcpServers": {\n\t\t"local": {\n\t\t\t"command": "npx",\n\t\t\t"args": ["-y", "some-server"]\n\t\t},\n\t\t"remote": {\n\t\t\t"serverUrl": "${upstream}",\n\t\t\t"headers": { "Authorization": "Bearer upstream-secret" }\n\t\t}\n\t}\n}\n`;
    case 'codex':
      return [
        'model = "o3"',
        '# keep this comment',
        '',
        '[profiles.fast]',
        'model = "o4-mini"',
        '',
        '# local docs server',
        '[mcp_servers.local]',
        'command = "npx"',
        'args = ["-y", "some-server"]',
        '',
        '[mcp_servers.remote]',
        `url = "${upstream}"`,
        'http_headers = { Authorization = "Bearer upstream-secret" }',
        '',
        '[mcp_servers.local.env]',
        'DEBUG = "1"',
        '',
      ].join('\n');
    case 'gemini':
      return `{\n  // theme first\n  "theme": "Dracula",\n  "mcpServers": {\n    "local": { "command": "npx", "args": ["-y", "some-server"] },\n    "remote": { "httpUrl": "${upstream}", "headers": { "Authorization": "Bearer upstream-secret" } }\n  }\n}\n`;
  }
}

/** The servers map of a written file, read the way each client reads it (independently of Gatehouse). */
function entriesOf(kind: ClientKind, text: string): Record<string, Record<string, unknown>> {
  if (kind === 'codex') return parseToml(text).mcp_servers as Record<string, Record<string, unknown>>;
  const root = (kind === 'vscode' || kind === 'gemini' ? parseJsonc(text) : JSON.parse(text)) as Record<
    string,
    Record<string, Record<string, unknown>>
  >;
  return (kind === 'vscode' ? root.servers : root.mcpServers) ?? {};
}

/** URL and headers of an HTTP entry as the client would use them. */
function httpTarget(
  kind: ClientKind,
  entry: Record<string, unknown>,
): { url: string; headers: Record<string, string> } {
  const url = { windsurf: entry.serverUrl, gemini: entry.httpUrl }[kind as string] ?? entry.url;
  const headers = (kind === 'codex' ? entry.http_headers : entry.headers) as Record<string, string>;
  if (kind === 'vscode' || kind === 'claude-code') expect(entry.type).toBe('http');
  return { url: url as string, headers };
}

async function listToolsAt(target: { url: string; headers: Record<string, string> }): Promise<string[]> {
  const client = new Client({ name: 'written-entry', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(target.url), { requestInit: { headers: target.headers } }),
  );
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

/** Every file under a folder with its bytes, to prove a preview (or a refused write) wrote nothing. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files.set(file, fs.readFileSync(file).toString('base64'));
    }
  }
  return files;
}

describe('client config writers against a real gateway', () => {
  let upstream: MutableServer;
  /** A second upstream, configured directly in the fixtures (the one adopt takes over). */
  let remote: MutableServer;
  let gw: GatewayHarness;
  let home: string;
  let service: ConnectionService;

  beforeAll(async () => {
    upstream = await startMutableServer({
      tools: [{ name: 'echo', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }],
    });
    remote = await startMutableServer({ tools: [{ name: 'search', inputSchema: { type: 'object' } }] });
    gw = await startGateway({ allowAll: true, level: 'warn' });
    await gw.addServer('up', upstream.url);
  });
  afterAll(async () => {
    await gw?.stop();
    await upstream?.close();
    await remote?.close();
  });
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-home-'));
    service = new ConnectionService({
      services: gw.core.services,
      settings: () => gw.core.settings.current,
      secrets: gw.core.secrets,
      dataDir: gw.dataDir,
      port: () => gw.port,
      host: { platform: 'linux', home, env: {} },
    });
    gw.core.services.setConnections(service);
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  function writeFixture(kind: ClientKind): { file: string; original: string } {
    const file = path.join(home, CONFIG[kind]);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const original = fixture(kind, remote.url);
    fs.writeFileSync(file, original);
    return { file, original };
  }

  describe.each(clientKinds)('%s', (kind) => {
    it('previews without writing, connects keeping everything else, and the entry works as written', async () => {
      const { file, original } = writeFixture(kind);
      expect(service.configPath(kind)).toBe(file);
      const before = snapshot(home);
      const dataBefore = snapshot(gw.dataDir);
      const preview = await gw.core.services['clients.preview']({ kind, servers: ['up'] });
      expect(preview.diff).toContain('gatehouse-up');
      expect(preview.diff).not.toMatch(/ghc_[A-Za-z0-9_-]{20,}/);
      expect(snapshot(home)).toEqual(before);
      expect(snapshot(gw.dataDir)).toEqual(dataBefore);

      const result = await gw.core.services['clients.connect']({ kind, servers: ['up'] });
      expect(result.configPath).toBe(file);
      expect(result.clientName).toBe(kind);
      expect(fs.readFileSync(result.backupPath!, 'utf8')).toBe(original);
      const text = fs.readFileSync(file, 'utf8');
      const entries = entriesOf(kind, text);
      const originalEntries = entriesOf(kind, original);
      expect(entries.local).toEqual(originalEntries.local);
      expect(entries.remote).toEqual(originalEntries.remote);
      // Comments and the rest of the file survive.
      for (const line of original.split('\n').filter((l) => /^\s*(#|\/\/|\/\*)/.test(l))) {
        expect(text).toContain(line);
      }
      if (kind === 'codex') {
        expect(parseToml(text)).toMatchObject({ model: 'o3', profiles: { fast: { model: 'o4-mini' } } });
      }

      const entry = entries['gatehouse-up']!;
      if (kind === 'claude-desktop') {
        expect(entry).toEqual({
          command: process.execPath,
          args: [gatehouseScript()!, 'bridge', 'up', '--client', 'claude-desktop', '--data-dir', gw.dataDir],
        });
        expect(path.isAbsolute(entry.command as string)).toBe(true);
        expect(fs.existsSync(gatehouseScript()!)).toBe(true);
      } else {
        const target = httpTarget(kind, entry);
        expect(target.url).toBe(`${gw.url}/mcp/up`);
        expect(await listToolsAt(target)).toContain('echo');
      }
      // The client record exists; its token is in the secret store, never in settings.
      expect(gw.core.settings.current.clients.find((c) => c.name === kind)).toBeDefined();

      const undo = await gw.core.services['clients.disconnect']({ kind });
      expect(undo.restored).toBe('backup');
      expect(fs.readFileSync(file, 'utf8')).toBe(original);
    });

    it('writes one aggregated entry for /mcp by default, and connecting again changes nothing', async () => {
      const { file, original } = writeFixture(kind);
      const result = await gw.core.services['clients.connect']({ kind });
      const entry = entriesOf(kind, fs.readFileSync(file, 'utf8')).gatehouse!;
      if (kind === 'claude-desktop') {
        expect(entry.args).toEqual([
          gatehouseScript()!,
          'bridge',
          '--all',
          '--client',
          'claude-desktop',
          '--data-dir',
          gw.dataDir,
        ]);
      } else {
        const target = httpTarget(kind, entry);
        expect(target.url).toBe(`${gw.url}/mcp`);
        expect(target.headers.Authorization).toMatch(/^Bearer ghc_/);
        expect(await listToolsAt(target)).toContain('up__echo');
      }
      expect(result.diff).not.toBe('');
      const again = await gw.core.services['clients.connect']({ kind });
      expect(again.diff).toBe('');
      expect(again.backupPath).toBeUndefined();
      const detected = (await gw.core.services['clients.detect']()).find((c) => c.kind === kind)!;
      expect(detected).toMatchObject({ installed: true, configExists: true, connectedServers: ['up'] });
      expect(detected.adoptable.map((a) => a.entry)).toEqual(['remote']);
      expect((await gw.core.services['clients.disconnect']({ kind })).restored).toBe('backup');
      expect(fs.readFileSync(file, 'utf8')).toBe(original);
    });

    it('switching from per-server to aggregated replaces its own entries, and undo still restores the original', async () => {
      const { file, original } = writeFixture(kind);
      await gw.core.services['clients.connect']({ kind, servers: ['up'] });
      await gw.core.services['clients.connect']({ kind });
      const entries = entriesOf(kind, fs.readFileSync(file, 'utf8'));
      expect(Object.keys(entries).sort()).toEqual(['gatehouse', 'local', 'remote']);
      expect((await gw.core.services['clients.disconnect']({ kind })).restored).toBe('backup');
      expect(fs.readFileSync(file, 'utf8')).toBe(original);
    });

    it('reports a malformed file and leaves it untouched', async () => {
      const file = path.join(home, CONFIG[kind]);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const broken = kind === 'codex' ? '[mcp_servers.x\nurl = 1\n' : '{ "mcpServers": { "a": { ] }\n';
      fs.writeFileSync(file, broken);
      const before = snapshot(home);
      const detected = (await gw.core.services['clients.detect']()).find((c) => c.kind === kind)!;
      expect(detected.problem).toMatch(/not valid|untouched/);
      expect(detected.configExists).toBe(true);
      await expect(gw.core.services['clients.preview']({ kind })).rejects.toThrow(/left it untouched/);
      await expect(gw.core.services['clients.connect']({ kind })).rejects.toThrow(/left it untouched/);
      await expect(gw.core.services['clients.adopt']({ kind, entries: ['x'] })).rejects.toThrow(
        /left it untouched/,
      );
      expect(snapshot(home)).toEqual(before);
    });

    it('removes only its own entries when the file changed after connect', async () => {
      const { file } = writeFixture(kind);
      await gw.core.services['clients.connect']({ kind, servers: ['up'] });
      const edited = `${fs.readFileSync(file, 'utf8')}${kind === 'codex' ? '\n# edited later\n' : '\n'}`;
      fs.writeFileSync(file, edited);
      const undo = await gw.core.services['clients.disconnect']({ kind });
      expect(undo.restored).toBe('entries-removed');
      const text = fs.readFileSync(file, 'utf8');
      expect(Object.keys(entriesOf(kind, text)).sort()).toEqual(['local', 'remote']);
      if (kind === 'codex') expect(text).toContain('# edited later');
      expect((await gw.core.services['clients.disconnect']({ kind })).restored).toBe('nothing');
    });

    it('adopts a remote server configured directly and routes the client through the gateway', async () => {
      const { file, original } = writeFixture(kind);
      const adopted = await gw.core.services['clients.adopt']({ kind, entries: ['remote'] });
      expect(adopted.added).toEqual(['remote']);
      const server = gw.core.settings.current.servers.find((s) => s.name === 'remote')!;
      expect(server).toMatchObject({ url: remote.url, headerNames: ['Authorization'] });
      expect(gw.core.secrets.get(serverHeaderKey('remote', 'Authorization'))).toBe('Bearer upstream-secret');
      const entries = entriesOf(kind, fs.readFileSync(file, 'utf8'));
      expect(Object.keys(entries).sort()).toEqual(['gatehouse-remote', 'local']);
      if (kind === 'claude-desktop') {
        expect(entries['gatehouse-remote']!.args).toContain('remote');
      } else {
        const target = httpTarget(kind, entries['gatehouse-remote']!);
        expect(target.url).toBe(`${gw.url}/mcp/remote`);
        expect(await listToolsAt(target)).toEqual(['search']);
      }
      expect((await gw.core.services['clients.disconnect']({ kind })).restored).toBe('backup');
      expect(fs.readFileSync(file, 'utf8')).toBe(original);

      // Adopt again, then change the file: undo removes Gatehouse's entries and puts the adopted one back.
      expect((await gw.core.services['clients.adopt']({ kind, entries: ['remote'] })).added).toEqual([]);
      fs.appendFileSync(file, '\n');
      expect((await gw.core.services['clients.disconnect']({ kind })).restored).toBe('entries-removed');
      const restored = entriesOf(kind, fs.readFileSync(file, 'utf8'));
      expect(restored).toEqual(entriesOf(kind, original));
      await gw.core.services['servers.remove']({ name: 'remote' });
    });
  });

  it('creates the config file when missing, and undo removes it again', async () => {
    const file = path.join(home, CONFIG.cursor);
    const result = await gw.core.services['clients.connect']({ kind: 'cursor', servers: ['up'] });
    expect(result.backupPath).toBeUndefined();
    expect(result.diff).toContain('--- /dev/null');
    expect(
      await listToolsAt(
        httpTarget('cursor', entriesOf('cursor', fs.readFileSync(file, 'utf8'))['gatehouse-up']!),
      ),
    ).toContain('echo');
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect((await gw.core.services['clients.disconnect']({ kind: 'cursor' })).restored).toBe('backup');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('leaves --data-dir out of the bridge entry when the data folder is the default under the injected HOME', async () => {
    const dataDir = path.join(home, '.config', 'Gatehouse');
    fs.mkdirSync(dataDir, { recursive: true });
    gw.core.services.setConnections(
      new ConnectionService({
        services: gw.core.services,
        settings: () => gw.core.settings.current,
        secrets: gw.core.secrets,
        dataDir,
        port: () => gw.port,
        host: { platform: 'linux', home, env: {} },
      }),
    );
    try {
      const preview = await gw.core.services['clients.preview']({ kind: 'claude-desktop', servers: ['up'] });
      expect(preview.diff).toContain('"bridge"');
      expect(preview.diff).not.toContain('--data-dir');
    } finally {
      gw.core.services.setConnections(service);
    }
  });

  it('issues a fresh token when the client record has none stored, and says so in the preview', async () => {
    await gw.core.services['clients.connect']({ kind: 'gemini', servers: ['up'] });
    gw.core.secrets.delete('client:gemini:token');
    const preview = await gw.core.services['clients.preview']({ kind: 'gemini', servers: ['up'] });
    expect(preview.diff).toMatch(/no stored token: a new token will be issued/);
    await gw.core.services['clients.connect']({ kind: 'gemini', servers: ['up'] });
    const file = path.join(home, CONFIG.gemini);
    const target = httpTarget('gemini', entriesOf('gemini', fs.readFileSync(file, 'utf8'))['gatehouse-up']!);
    expect(target.headers.Authorization).toBe(`Bearer ${gw.core.secrets.get('client:gemini:token')}`);
    expect(await listToolsAt(target)).toContain('echo');
  });

  it('refuses unknown servers before issuing any token', async () => {
    await gw.core.services['clients.revoke']({ name: 'windsurf' }).catch(() => {});
    const clients = structuredClone(gw.core.settings.current.clients);
    await expect(
      gw.core.services['clients.connect']({ kind: 'windsurf', servers: ['nope'] }),
    ).rejects.toThrow(/no server named "nope"/);
    expect(gw.core.settings.current.clients).toEqual(clients);
    expect(fs.existsSync(path.join(home, CONFIG.windsurf))).toBe(false);
  });
});
