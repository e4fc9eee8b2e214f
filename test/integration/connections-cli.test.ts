import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parse as parseToml } from 'smol-toml';
import { getFreePort } from '../helpers/free-port.ts';
import { startMutableServer, type MutableServer } from '../fixtures/mutable-server.ts';
import { runGatehouse, startServe, type ServeProcess } from './support/gatehouse-process.ts';

interface StdioEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** `gatehouse connect / disconnect / clients detect` as real processes, with a temporary HOME. */
describe('gatehouse connect on the command line', () => {
  let upstream: MutableServer;
  let serve: ServeProcess;
  let dataDir: string;
  let home: string;
  let env: NodeJS.ProcessEnv;
  const gatehouse = (...args: string[]) => runGatehouse([...args, '--data-dir', dataDir], env);

  beforeAll(async () => {
    upstream = await startMutableServer({ tools: [{ name: 'echo', inputSchema: { type: 'object' } }] });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-data-'));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-home-'));
    env = { HOME: home, XDG_CONFIG_HOME: '', CODEX_HOME: '', CLAUDE_CONFIG_DIR: '' };
    expect((await gatehouse('config', 'set', 'gateway.port', String(await getFreePort()))).code).toBe(0);
    expect((await gatehouse('server', 'add', 'up', upstream.url)).code).toBe(0);
    expect((await gatehouse('policy', 'add', '--action', 'allow')).code).toBe(0);
    serve = await startServe(dataDir, []);
  }, 60_000);
  afterAll(async () => {
    await serve?.stop();
    await upstream?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('previews, connects Codex through the running gateway, detects it and undoes it', async () => {
    const file = path.join(home, '.codex', 'config.toml');
    fs.mkdirSync(path.dirname(file));
    const original = 'model = "o3"\n\n# mine\n[mcp_servers.docs]\ncommand = "npx"\n';
    fs.writeFileSync(file, original);

    const dry = await gatehouse('connect', 'codex', '--servers', 'up', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+[mcp_servers.gatehouse-up]');
    expect(fs.readFileSync(file, 'utf8')).toBe(original);

    const connect = await gatehouse('connect', 'codex', '--servers', 'up');
    expect(connect.stderr).toBe('');
    expect(connect.code).toBe(0);
    expect(connect.stdout).toMatch(/Wrote .*config\.toml \(client "codex"\)/);
    expect(connect.stdout).not.toMatch(/ghc_[A-Za-z0-9_-]{20,}/);
    const entry = (
      parseToml(fs.readFileSync(file, 'utf8')).mcp_servers as Record<string, Record<string, unknown>>
    )['gatehouse-up']!;
    expect(entry.url).toBe(`${serve.url}/mcp/up`);
    const client = new Client({ name: 'codex-as-written', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(entry.url as string), {
        requestInit: { headers: entry.http_headers as Record<string, string> },
      }),
    );
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['echo']);
    await client.close();

    const detect = await gatehouse('clients', 'detect', '--json');
    const codex = (JSON.parse(detect.stdout) as { kind: string; connectedServers: string[] }[]).find(
      (c) => c.kind === 'codex',
    );
    expect(codex?.connectedServers).toEqual(['up']);
    expect((await gatehouse('clients', 'detect')).stdout).toMatch(/codex\s+yes\s+up/);

    const undo = await gatehouse('disconnect', 'codex');
    expect(undo.stdout).toContain('exactly as it was');
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
  });

  it('connects Claude Desktop through `gatehouse bridge`, run exactly as the written entry says', async () => {
    const file = path.join(home, '.config', 'Claude', 'claude_desktop_config.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const original = '{\n  "globalShortcut": "",\n  "mcpServers": {}\n}\n';
    fs.writeFileSync(file, original);
    expect((await gatehouse('connect', 'claude-desktop', '--servers', 'up')).code).toBe(0);
    expect((await gatehouse('connect', 'claude-desktop')).code).toBe(0); // now the aggregated entry
    const servers = (JSON.parse(fs.readFileSync(file, 'utf8')) as { mcpServers: Record<string, StdioEntry> })
      .mcpServers;
    expect(Object.keys(servers)).toEqual(['gatehouse']);
    const entry = servers.gatehouse!;
    expect(entry.args.slice(1)).toEqual([
      'bridge',
      '--all',
      '--client',
      'claude-desktop',
      '--data-dir',
      dataDir,
    ]);
    expect(JSON.stringify(entry)).not.toContain('ghc_');
    // Claude Desktop starts the command with a minimal environment, not the shell's.
    const client = new Client({ name: 'claude-desktop-as-written', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: entry.command,
        args: entry.args,
        ...(entry.env ? { env: entry.env } : {}),
      }),
    );
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['up__echo']);
    await client.close();
    expect((await gatehouse('disconnect', 'claude-desktop')).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
  });

  it('explains wrong usage and refused files', async () => {
    const wrong = await gatehouse('connect', 'notepad');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/unknown client kind "notepad"; client kinds: claude-code, claude-desktop/);
    const file = path.join(home, '.cursor', 'mcp.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{ "mcpServers": ');
    const refused = await gatehouse('connect', 'cursor');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/mcp\.json is not valid JSON: .*left it untouched/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{ "mcpServers": ');
    expect((await gatehouse('clients', 'detect')).stdout).toMatch(/cursor: .*not valid JSON/);
  });
});
