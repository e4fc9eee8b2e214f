import { describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { ConfigParseError } from '../../../electron/main/connections/config-format.ts';
import { jsonFormat } from '../../../electron/main/connections/json-format.ts';
import { headerPath, tomlFormat } from '../../../electron/main/connections/toml-format.ts';

const entry = { url: 'http://127.0.0.1:7337/mcp', headers: { Authorization: 'Bearer t' } };

describe('JSON and JSONC config files', () => {
  const jsonc = jsonFormat('servers', { comments: true });
  const json = jsonFormat('mcpServers', { comments: false });

  it('adds an entry keeping comments, trailing commas and the neighbours exactly', () => {
    const text = '{\n  // mine\n  "servers": {\n    "a": { "url": "x" }, // keep\n  },\n  "inputs": [],\n}\n';
    const out = jsonc.edit(text, { set: [['gatehouse', entry]], remove: [] });
    expect(out).toContain('// mine');
    expect(out).toContain('    "a": { "url": "x" },');
    expect(out).toContain('// keep');
    expect(jsonc.read(out)).toEqual({ a: { url: 'x' }, gatehouse: entry });
    // Removing it again gives the original back.
    expect(jsonc.edit(out, { set: [], remove: ['gatehouse'] })).toBe(text);
  });

  it.each([
    ['a trailing comma and a line comment', '{\n  "servers": {\n    "a": 1,  // keep\n  }\n}\n'],
    ['a line comment and no comma', '{\n  "servers": {\n    "a": 1 // keep\n  }\n}\n'],
    ['a block comment, then more', '{\n  "servers": {\n    "a": 1 /* x */\n  },\n  "t": 2\n}\n'],
    ['CRLF line ends', '{\r\n  "servers": {\r\n    "a": 1 // keep\r\n  }\r\n}\r\n'],
  ])('keeps the comment on its line with %s, and removing gives the text back', (_, text) => {
    const out = jsonc.edit(text, { set: [['gatehouse', entry]], remove: [] });
    const commentLine = text.split(/\r?\n/)[2]!.replace(/^(\s*"a": 1)(?!,)/, '$1,');
    expect(out.split(/\r?\n/)[2]).toBe(commentLine);
    expect(out.split(/\r?\n/)[3]).toBe('    "gatehouse": {');
    expect(jsonc.read(out)).toEqual({ a: 1, gatehouse: entry });
    expect(jsonc.edit(out, { set: [], remove: ['gatehouse'] })).toBe(text);
  });

  it('keeps tab indentation and CRLF line ends', () => {
    const text = '{\r\n\t"mcpServers": {\r\n\t\t"a": {\r\n\t\t\t"command": "x"\r\n\t\t}\r\n\t}\r\n}\r\n';
    const out = json.edit(text, { set: [['gatehouse', entry]], remove: [] });
    expect(out).toContain('\r\n\t\t"gatehouse": {\r\n\t\t\t"url"');
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('replaces an entry in place and creates the servers object when missing', () => {
    const text =
      '{\n  "theme": "dark",\n  "mcpServers": {\n    "gatehouse": { "url": "old" },\n    "b": {}\n  }\n}\n';
    const out = json.edit(text, { set: [['gatehouse', entry]], remove: [] });
    expect(Object.keys(json.read(out))).toEqual(['gatehouse', 'b']);
    const fresh = json.edit('{\n  "theme": "dark"\n}\n', { set: [['gatehouse', entry]], remove: [] });
    expect(JSON.parse(fresh)).toEqual({ theme: 'dark', mcpServers: { gatehouse: entry } });
    expect(json.edit(undefined, { set: [['gatehouse', entry]], remove: [] })).toBe(
      JSON.stringify({ mcpServers: { gatehouse: entry } }, null, 2) + '\n',
    );
  });

  it('reports what is wrong with a file it cannot read', () => {
    expect(() => json.read('{ // no comments in strict JSON\n}')).toThrow(ConfigParseError);
    expect(() => json.read('{ "mcpServers": [] }')).toThrow(/"mcpServers" is not a JSON object/);
    expect(() => json.read('[1]')).toThrow(/top level/);
    expect(() => jsonc.read('{ "servers": { "a": 1 ')).toThrow(/line 1/);
    expect(json.read('')).toEqual({});
  });
});

describe('TOML config files', () => {
  const toml = tomlFormat('mcp_servers');
  const original = [
    'model = "o3" # default',
    '',
    '# local docs',
    '[mcp_servers.docs]',
    'command = "npx"',
    '',
    '[mcp_servers.docs.env]',
    'A = "1"',
    '',
    '# profiles below',
    '[profiles.fast]',
    'model = "mini"',
    '',
  ].join('\n');

  it('appends its own table, replaces it in place and removes it to the original bytes', () => {
    const added = toml.edit(original, { set: [['gatehouse', entry]], remove: [] });
    expect(added).toBe(
      `${original}\n[mcp_servers.gatehouse]\nurl = "http://127.0.0.1:7337/mcp"\nheaders = { Authorization = "Bearer t" }\n`,
    );
    const replaced = toml.edit(added, {
      set: [['gatehouse', { url: 'http://127.0.0.1:1/mcp' }]],
      remove: [],
    });
    expect(parseToml(replaced)).toMatchObject({
      model: 'o3',
      mcp_servers: {
        docs: { command: 'npx', env: { A: '1' } },
        gatehouse: { url: 'http://127.0.0.1:1/mcp' },
      },
      profiles: { fast: { model: 'mini' } },
    });
    expect(toml.edit(replaced, { set: [], remove: ['gatehouse'] })).toBe(original);
  });

  it('removes a table in the middle with its sub-tables, keeping the next table comments', () => {
    const middle = original.replace(
      '# profiles below',
      '[mcp_servers.gatehouse-x]\nurl = "u"\n\n[mcp_servers.gatehouse-x.http_headers]\nA = "b"\n\n# profiles below',
    );
    expect(toml.edit(middle, { set: [], remove: ['gatehouse-x'] })).toBe(original);
  });

  it('refuses entries it cannot edit as a table, and files that are not TOML', () => {
    expect(() =>
      toml.edit('mcp_servers.gatehouse.url = "u"\n', { set: [['gatehouse', entry]], remove: [] }),
    ).toThrow(/defined inline/);
    expect(() => toml.read('[mcp_servers\n')).toThrow(/not valid TOML/);
    expect(() => toml.read('mcp_servers = 3\n')).toThrow(/not a TOML table/);
  });

  it('parses table headers with quoted keys', () => {
    expect(headerPath('[mcp_servers."my.server"] # c')).toEqual(['mcp_servers', 'my.server']);
    expect(headerPath("[ mcp_servers . 'x' ]")).toEqual(['mcp_servers', 'x']);
    expect(headerPath('[[profiles]]')).toEqual(['profiles']);
    expect(headerPath('key = [1, 2]')).toBeUndefined();
  });
});
