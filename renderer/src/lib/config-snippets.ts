/** The common MCP clients a new Gatehouse client's settings can be pasted into. */
export const snippetTargets = [
  { id: 'claude-code', label: 'Claude Code', where: 'Run in a terminal' },
  { id: 'cursor', label: 'Cursor', where: '~/.cursor/mcp.json' },
  { id: 'vscode', label: 'VS Code', where: '.vscode/mcp.json (or the user mcp.json)' },
  { id: 'windsurf', label: 'Windsurf', where: '~/.codeium/windsurf/mcp_config.json' },
  { id: 'gemini', label: 'Gemini CLI', where: '~/.gemini/settings.json' },
  { id: 'codex', label: 'Codex', where: '~/.codex/config.toml' },
] as const;
export type SnippetTarget = (typeof snippetTargets)[number]['id'];

/** What a snippet connects: an entry name, the endpoint URL and the client's bearer token. */
export interface SnippetInput {
  /** The entry's name in the client's config, e.g. `gatehouse` or `gatehouse-github`. */
  entryName: string;
  /** Full endpoint URL, e.g. `http://127.0.0.1:7337/mcp`. */
  url: string;
  token: string;
}

/** The gateway endpoint for all servers (`/mcp`) or one server (`/mcp/<name>`). */
export function endpointUrl(gatewayUrl: string, server?: string): string {
  const base = gatewayUrl.replace(/\/+$/, '');
  return server ? `${base}/mcp/${server}` : `${base}/mcp`;
}

/** The config entry name for an endpoint: `gatehouse`, or `gatehouse-<server>` for one server. */
export function entryNameFor(server?: string): string {
  return server ? `gatehouse-${server}` : 'gatehouse';
}

/** A POSIX shell word: bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A TOML basic string. */
function tomlString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** A TOML key: bare when possible, else quoted. */
function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

/** The exact text to paste (or run) to point `target` at the gateway. */
export function configSnippet(target: SnippetTarget, input: SnippetInput): string {
  const authorization = `Bearer ${input.token}`;
  const headers = { Authorization: authorization };
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  switch (target) {
    case 'claude-code':
      return [
        'claude mcp add --transport http',
        shellQuote(input.entryName),
        shellQuote(input.url),
        '--header',
        shellQuote(`Authorization: ${authorization}`),
      ].join(' ');
    case 'cursor':
      return json({ mcpServers: { [input.entryName]: { url: input.url, headers } } });
    case 'vscode':
      return json({ servers: { [input.entryName]: { type: 'http', url: input.url, headers } } });
    case 'windsurf':
      return json({ mcpServers: { [input.entryName]: { serverUrl: input.url, headers } } });
    case 'gemini':
      return json({ mcpServers: { [input.entryName]: { httpUrl: input.url, headers } } });
    case 'codex':
      return [
        `[mcp_servers.${tomlKey(input.entryName)}]`,
        `url = ${tomlString(input.url)}`,
        `http_headers = { Authorization = ${tomlString(authorization)} }`,
        '',
      ].join('\n');
  }
}
