import { describe, expect, it } from 'vitest';
import type { ClientKind } from '../../../shared/schemas/connections.ts';
import { clientSpecs } from '../../../electron/main/connections/client-specs.ts';
import type { HostEnv } from '../../../electron/main/base/paths.ts';

const mac: HostEnv = { platform: 'darwin', home: '/Users/ann', env: {} };
const windows: HostEnv = {
  platform: 'win32',
  home: 'C:\\Users\\ann',
  env: { USERPROFILE: 'C:\\Users\\ann', APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' },
};
const linux: HostEnv = { platform: 'linux', home: '/home/ann', env: {} };

const expected: Record<ClientKind, [mac: string, windows: string, linux: string]> = {
  'claude-code': ['/Users/ann/.claude.json', 'C:\\Users\\ann\\.claude.json', '/home/ann/.claude.json'],
  'claude-desktop': [
    '/Users/ann/Library/Application Support/Claude/claude_desktop_config.json',
    'C:\\Users\\ann\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    '/home/ann/.config/Claude/claude_desktop_config.json',
  ],
  cursor: ['/Users/ann/.cursor/mcp.json', 'C:\\Users\\ann\\.cursor\\mcp.json', '/home/ann/.cursor/mcp.json'],
  vscode: [
    '/Users/ann/Library/Application Support/Code/User/mcp.json',
    'C:\\Users\\ann\\AppData\\Roaming\\Code\\User\\mcp.json',
    '/home/ann/.config/Code/User/mcp.json',
  ],
  windsurf: [
    '/Users/ann/.codeium/windsurf/mcp_config.json',
    'C:\\Users\\ann\\.codeium\\windsurf\\mcp_config.json',
    '/home/ann/.codeium/windsurf/mcp_config.json',
  ],
  codex: [
    '/Users/ann/.codex/config.toml',
    'C:\\Users\\ann\\.codex\\config.toml',
    '/home/ann/.codex/config.toml',
  ],
  gemini: [
    '/Users/ann/.gemini/settings.json',
    'C:\\Users\\ann\\.gemini\\settings.json',
    '/home/ann/.gemini/settings.json',
  ],
};

describe('client config locations', () => {
  it.each(Object.entries(expected))('%s on macOS, Windows and Linux', (kind, [m, w, l]) => {
    const spec = clientSpecs[kind as ClientKind];
    expect(spec.configPath(mac)).toBe(m);
    expect(spec.configPath(windows)).toBe(w);
    expect(spec.configPath(linux)).toBe(l);
  });

  it('follows XDG_CONFIG_HOME, APPDATA, CODEX_HOME and CLAUDE_CONFIG_DIR', () => {
    const xdg: HostEnv = { ...linux, env: { XDG_CONFIG_HOME: '/cfg' } };
    expect(clientSpecs.vscode.configPath(xdg)).toBe('/cfg/Code/User/mcp.json');
    expect(clientSpecs['claude-desktop'].configPath(xdg)).toBe('/cfg/Claude/claude_desktop_config.json');
    expect(clientSpecs.codex.configPath({ ...linux, env: { CODEX_HOME: '/opt/codex' } })).toBe(
      '/opt/codex/config.toml',
    );
    expect(clientSpecs['claude-code'].configPath({ ...mac, env: { CLAUDE_CONFIG_DIR: '/x/claude' } })).toBe(
      '/x/claude/.claude.json',
    );
    const noAppData: HostEnv = { ...windows, env: { USERPROFILE: 'D:\\me' } };
    expect(clientSpecs.vscode.configPath(noAppData)).toBe('D:\\me\\AppData\\Roaming\\Code\\User\\mcp.json');
  });
});

describe('client entry shapes', () => {
  const http = {
    transport: 'http' as const,
    url: 'http://127.0.0.1:7337/mcp',
    headers: { Authorization: 'Bearer t' },
  };

  it('writes each client its own documented fields', () => {
    expect(clientSpecs['claude-code'].toConfig(http)).toEqual({
      type: 'http',
      url: http.url,
      headers: http.headers,
    });
    expect(clientSpecs.vscode.toConfig(http)).toEqual({ type: 'http', url: http.url, headers: http.headers });
    expect(clientSpecs.cursor.toConfig(http)).toEqual({ url: http.url, headers: http.headers });
    expect(clientSpecs.windsurf.toConfig(http)).toEqual({ serverUrl: http.url, headers: http.headers });
    expect(clientSpecs.gemini.toConfig(http)).toEqual({ httpUrl: http.url, headers: http.headers });
    expect(clientSpecs.codex.toConfig(http)).toEqual({ url: http.url, http_headers: http.headers });
    expect(
      clientSpecs['claude-desktop'].toConfig({ transport: 'stdio', command: '/bin/node', args: ['a'] }),
    ).toEqual({ command: '/bin/node', args: ['a'] });
    expect(() => clientSpecs['claude-desktop'].toConfig(http)).toThrow(/stdio/);
  });

  it('reads literal headers and tells variable ones apart', () => {
    expect(
      clientSpecs.cursor.readEntry({
        url: 'https://a.example/mcp',
        headers: { 'X-Key': 'k', Authorization: 'Bearer ${env:TOKEN}' },
      }),
    ).toEqual({ url: 'https://a.example/mcp', headers: { 'X-Key': 'k' }, unresolved: ['Authorization'] });
    expect(
      clientSpecs.gemini.readEntry({ httpUrl: 'https://g.example/mcp', headers: { A: '$HOME' } }),
    ).toEqual({
      url: 'https://g.example/mcp',
      headers: {},
      unresolved: ['A'],
    });
  });

  it('reads Codex bearer tokens in each documented form', () => {
    expect(clientSpecs.codex.readEntry({ url: 'https://c.example', bearer_token: 'abc' })).toMatchObject({
      headers: { Authorization: 'Bearer abc' },
      unresolved: [],
    });
    expect(
      clientSpecs.codex.readEntry({
        url: 'https://c.example',
        bearer_token_env_var: 'TOKEN',
        env_http_headers: { 'X-Team': 'TEAM' },
      }),
    ).toMatchObject({ headers: {}, unresolved: ['Authorization', 'X-Team'] });
  });

  it('sees the remote server behind an mcp-remote stdio entry', () => {
    expect(
      clientSpecs['claude-desktop'].readEntry({
        command: 'npx',
        args: ['-y', 'mcp-remote@0.1.30', 'https://r.example/mcp', '--header', 'Authorization:${AUTH}'],
        env: { AUTH: 'Bearer s' },
      }),
    ).toMatchObject({ url: 'https://r.example/mcp', headers: { Authorization: 'Bearer s' }, unresolved: [] });
    expect(
      clientSpecs['claude-desktop'].readEntry({ command: 'npx', args: ['server', 'https://x'] }).url,
    ).toBe(undefined);
  });
});
