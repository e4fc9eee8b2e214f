import type { ClientKind } from '../../../shared/schemas/connections.ts';
import { appConfigDir, homeDir, hostPath, type HostEnv } from '../base/paths.ts';

/** An entry pointing a client at the gateway, before it is put in the client's own shape. */
export type GatewayEntry =
  | { transport: 'http'; url: string; headers: Record<string, string> }
  | { transport: 'stdio'; command: string; args: string[]; env?: Record<string, string> };

/** What Gatehouse understands of an entry already in a client's config. */
export interface EntryInfo {
  /** The remote URL for HTTP/SSE entries (or the target of an `mcp-remote` stdio entry). */
  url?: string;
  /** Header values written literally in the file. */
  headers: Record<string, string>;
  /** Headers whose value comes from the environment or a prompt (not carried over on adopt). */
  unresolved: string[];
  command?: string;
  args?: string[];
}

/** One client kind: where its config lives, its format, and how its MCP entries look. */
export interface ClientSpec {
  kind: ClientKind;
  label: string;
  transport: 'http' | 'stdio';
  /** json: strict JSON (comments are an error); jsonc: comments and trailing commas allowed; toml. */
  format: 'json' | 'jsonc' | 'toml';
  /** The property (JSON) or table (TOML) that maps entry names to servers. */
  serversKey: string;
  configPath(host: HostEnv): string;
  /** Folders or apps whose presence means the client is installed. */
  installMarkers(host: HostEnv): string[];
  /** The entry as this client writes it. */
  toConfig(entry: GatewayEntry): Record<string, unknown>;
  readEntry(value: unknown): EntryInfo;
}

const VARIABLE = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/;

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Splits a header map into literal values and names whose value is a variable reference. */
function headersOf(value: unknown): Pick<EntryInfo, 'headers' | 'unresolved'> {
  const headers: Record<string, string> = {};
  const unresolved: string[] = [];
  for (const [name, v] of Object.entries(record(value))) {
    if (typeof v !== 'string' || VARIABLE.test(v)) unresolved.push(name);
    else headers[name] = v;
  }
  return { headers, unresolved };
}

function httpEntry(entry: GatewayEntry, urlKey: string, extra: Record<string, unknown> = {}) {
  if (entry.transport !== 'http') throw new Error('this client is configured over HTTP');
  return { ...extra, [urlKey]: entry.url, headers: entry.headers };
}

/** Reads `{<urlKey>, headers}` entries (or stdio ones, which are never adoptable unless mcp-remote). */
function readJsonEntry(urlKeys: string[]) {
  return (value: unknown): EntryInfo => {
    const v = record(value);
    const url = urlKeys.map((k) => str(v[k])).find((u) => u !== undefined);
    const command = str(v.command);
    const args = Array.isArray(v.args) ? v.args.filter((a): a is string => typeof a === 'string') : undefined;
    if (url === undefined && command !== undefined) return readMcpRemote(command, args ?? [], record(v.env));
    return { ...headersOf(v.headers), ...(url !== undefined ? { url } : {}) };
  };
}

/**
 * A stdio entry running `mcp-remote <url> [--header "Name: value"]...` (how remote servers are often
 * put into stdio-only clients): its URL and headers, `${VAR}` resolved from the entry's own `env`.
 */
function readMcpRemote(command: string, args: string[], env: Record<string, unknown>): EntryInfo {
  const info: EntryInfo = { headers: {}, unresolved: [], command, args };
  if (![command, ...args].some((a) => /(^|[/\\@])mcp-remote(@[^/\\]*)?$/.test(a))) return info;
  const url = args.find((a) => /^https?:\/\//i.test(a));
  if (url) info.url = url;
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--header') continue;
    const header = args[++i] ?? '';
    const colon = header.indexOf(':');
    if (colon <= 0) continue;
    const name = header.slice(0, colon).trim();
    const raw = header.slice(colon + 1).trim();
    const value = raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, n: string) =>
      typeof env[n] === 'string' ? env[n] : whole,
    );
    if (VARIABLE.test(value)) info.unresolved.push(name);
    else info.headers[name] = value;
  }
  return info;
}

function codexEntry(value: unknown): EntryInfo {
  const v = record(value);
  const info: EntryInfo = { ...headersOf(v.http_headers) };
  const url = str(v.url);
  if (url !== undefined) info.url = url;
  const bearer = str(v.bearer_token);
  if (bearer) info.headers.Authorization = `Bearer ${bearer}`;
  if (v.bearer_token_env_var !== undefined) info.unresolved.push('Authorization');
  info.unresolved.push(...Object.keys(record(v.env_http_headers)));
  const command = str(v.command);
  if (command !== undefined) info.command = command;
  return info;
}

const home = (host: HostEnv, ...parts: string[]) => hostPath(host).join(homeDir(host), ...parts);

/** Each supported client, as its own documentation describes it (see docs/connecting-clients.md). */
export const clientSpecs: Record<ClientKind, ClientSpec> = {
  'claude-code': {
    kind: 'claude-code',
    label: 'Claude Code',
    transport: 'http',
    format: 'json',
    serversKey: 'mcpServers',
    // User scope: the top-level `mcpServers` of ~/.claude.json ($CLAUDE_CONFIG_DIR moves it).
    configPath: (host) =>
      host.env.CLAUDE_CONFIG_DIR
        ? hostPath(host).join(host.env.CLAUDE_CONFIG_DIR, '.claude.json')
        : home(host, '.claude.json'),
    installMarkers: (host) => [home(host, '.claude'), home(host, '.claude.json')],
    toConfig: (entry) => httpEntry(entry, 'url', { type: 'http' }),
    readEntry: readJsonEntry(['url']),
  },
  'claude-desktop': {
    kind: 'claude-desktop',
    label: 'Claude Desktop',
    transport: 'stdio',
    format: 'json',
    serversKey: 'mcpServers',
    configPath: (host) => hostPath(host).join(appConfigDir('Claude', host), 'claude_desktop_config.json'),
    installMarkers: (host) => [
      appConfigDir('Claude', host),
      ...(host.platform === 'darwin' ? ['/Applications/Claude.app'] : []),
    ],
    toConfig: (entry) => {
      if (entry.transport !== 'stdio') throw new Error('Claude Desktop launches stdio servers only');
      return { command: entry.command, args: entry.args, ...(entry.env ? { env: entry.env } : {}) };
    },
    readEntry: readJsonEntry([]),
  },
  cursor: {
    kind: 'cursor',
    label: 'Cursor',
    transport: 'http',
    format: 'json',
    serversKey: 'mcpServers',
    configPath: (host) => home(host, '.cursor', 'mcp.json'),
    installMarkers: (host) => [
      home(host, '.cursor'),
      ...(host.platform === 'darwin' ? ['/Applications/Cursor.app'] : []),
    ],
    toConfig: (entry) => httpEntry(entry, 'url'),
    readEntry: readJsonEntry(['url']),
  },
  vscode: {
    kind: 'vscode',
    label: 'VS Code',
    transport: 'http',
    format: 'jsonc',
    serversKey: 'servers',
    configPath: (host) => hostPath(host).join(appConfigDir('Code', host), 'User', 'mcp.json'),
    installMarkers: (host) => [
      hostPath(host).join(appConfigDir('Code', host), 'User'),
      ...(host.platform === 'darwin' ? ['/Applications/Visual Studio Code.app'] : []),
    ],
    toConfig: (entry) => httpEntry(entry, 'url', { type: 'http' }),
    readEntry: readJsonEntry(['url']),
  },
  windsurf: {
    kind: 'windsurf',
    label: 'Windsurf',
    transport: 'http',
    format: 'json',
    serversKey: 'mcpServers',
    configPath: (host) => home(host, '.codeium', 'windsurf', 'mcp_config.json'),
    installMarkers: (host) => [
      home(host, '.codeium', 'windsurf'),
      ...(host.platform === 'darwin' ? ['/Applications/Windsurf.app'] : []),
    ],
    toConfig: (entry) => httpEntry(entry, 'serverUrl'),
    readEntry: readJsonEntry(['serverUrl', 'url']),
  },
  codex: {
    kind: 'codex',
    label: 'Codex CLI',
    transport: 'http',
    format: 'toml',
    serversKey: 'mcp_servers',
    // $CODEX_HOME (default ~/.codex)/config.toml
    configPath: (host) => hostPath(host).join(host.env.CODEX_HOME || home(host, '.codex'), 'config.toml'),
    installMarkers: (host) => [host.env.CODEX_HOME || home(host, '.codex')],
    toConfig: (entry) => {
      if (entry.transport !== 'http') throw new Error('Codex is configured over HTTP');
      return { url: entry.url, http_headers: entry.headers };
    },
    readEntry: codexEntry,
  },
  gemini: {
    kind: 'gemini',
    label: 'Gemini CLI',
    transport: 'http',
    // Gemini CLI strips comments from settings.json before parsing.
    format: 'jsonc',
    serversKey: 'mcpServers',
    configPath: (host) => home(host, '.gemini', 'settings.json'),
    installMarkers: (host) => [home(host, '.gemini')],
    toConfig: (entry) => httpEntry(entry, 'httpUrl'),
    readEntry: readJsonEntry(['httpUrl', 'url']),
  },
};
