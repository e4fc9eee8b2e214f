import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import {
  configSnippet,
  endpointUrl,
  entryNameFor,
  shellQuote,
  snippetTargets,
} from '../../../renderer/src/lib/config-snippets.ts';

const input = { entryName: 'gatehouse', url: 'http://127.0.0.1:7337/mcp', token: 'gh_abc123' };

describe('endpoints', () => {
  it('builds the aggregated and per-server endpoint URLs', () => {
    expect(endpointUrl('http://127.0.0.1:7337')).toBe('http://127.0.0.1:7337/mcp');
    expect(endpointUrl('http://127.0.0.1:7337/', 'github')).toBe('http://127.0.0.1:7337/mcp/github');
    expect(entryNameFor()).toBe('gatehouse');
    expect(entryNameFor('github')).toBe('gatehouse-github');
  });
});

describe('configSnippet', () => {
  it('gives Claude Code the exact `claude mcp add` command', () => {
    expect(configSnippet('claude-code', input)).toBe(
      "claude mcp add --transport http gatehouse http://127.0.0.1:7337/mcp --header 'Authorization: Bearer gh_abc123'",
    );
  });

  it('quotes shell words safely', () => {
    expect(shellQuote('plain-word')).toBe('plain-word');
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('$(rm -rf ~)')).toBe("'$(rm -rf ~)'");
  });

  it('writes each JSON client in its own shape', () => {
    const headers = { Authorization: 'Bearer gh_abc123' };
    expect(JSON.parse(configSnippet('cursor', input))).toEqual({
      mcpServers: { gatehouse: { url: input.url, headers } },
    });
    expect(JSON.parse(configSnippet('vscode', input))).toEqual({
      servers: { gatehouse: { type: 'http', url: input.url, headers } },
    });
    expect(JSON.parse(configSnippet('windsurf', input))).toEqual({
      mcpServers: { gatehouse: { serverUrl: input.url, headers } },
    });
    expect(JSON.parse(configSnippet('gemini', input))).toEqual({
      mcpServers: { gatehouse: { httpUrl: input.url, headers } },
    });
  });

  it('writes valid Codex TOML, escaping what needs it', () => {
    const parsed = parseToml(configSnippet('codex', input));
    expect(parsed).toEqual({
      mcp_servers: { gatehouse: { url: input.url, http_headers: { Authorization: 'Bearer gh_abc123' } } },
    });
    const odd = parseToml(configSnippet('codex', { ...input, entryName: 'gate house', token: 'a"b\\c' }));
    expect(odd).toEqual({
      mcp_servers: { 'gate house': { url: input.url, http_headers: { Authorization: 'Bearer a"b\\c' } } },
    });
  });

  it('has a snippet for every listed target', () => {
    for (const target of snippetTargets) expect(configSnippet(target.id, input)).toContain('gh_abc123');
  });
});
