import { describe, expect, it } from 'vitest';
import {
  MAX_MATCHED_TEMPLATE_LENGTH,
  MAX_MATCHED_URI_LENGTH,
  namespacedName,
  ResourceRoutes,
  resourceUrisIn,
  serverAllowed,
  splitNamespaced,
  templatePattern,
  toolAllowed,
} from '../../../electron/main/gateway/aggregate-names.ts';

describe('aggregated names', () => {
  it('namespaces and splits reversibly, also for tool names containing the separator', () => {
    for (const [server, tool] of [
      ['github', 'create_issue'],
      ['a-b', 'x__y'],
      ['s3', '__leading'],
      ['z', ''],
    ] as const) {
      expect(splitNamespaced(namespacedName(server, tool))).toEqual({ server, name: tool });
    }
    expect(splitNamespaced('plain')).toBeUndefined();
    expect(splitNamespaced('__nothing')).toBeUndefined();
  });

  it('allows every server and tool without lists, only the listed ones with them', () => {
    expect(serverAllowed({}, 'github')).toBe(true);
    expect(serverAllowed({ servers: ['github'] }, 'github')).toBe(true);
    expect(serverAllowed({ servers: ['github'] }, 'slack')).toBe(false);
    expect(serverAllowed({ servers: [] }, 'github')).toBe(false);
    expect(toolAllowed(undefined, 'github', 'x')).toBe(true);
    expect(toolAllowed({}, 'github', 'x')).toBe(true);
    expect(toolAllowed({ toolFilter: [] }, 'github', 'x')).toBe(false);
  });

  it('matches filter globs against the namespaced or the plain tool name', () => {
    const client = { toolFilter: ['github__create_*', 'search'] };
    expect(toolAllowed(client, 'github', 'create_issue')).toBe(true);
    expect(toolAllowed(client, 'github', 'delete_repo')).toBe(false);
    expect(toolAllowed(client, 'gitlab', 'create_issue')).toBe(false);
    expect(toolAllowed(client, 'gitlab', 'search')).toBe(true);
    expect(toolAllowed({ toolFilter: ['*__read_*'] }, 'fs', 'read_file')).toBe(true);
  });

  it('routes a URI to the server that listed it, else by template, else to the only candidate', () => {
    const routes = new ResourceRoutes();
    routes.recordUris('a', ['file:///x', 'shared://1']);
    routes.recordUris('b', ['shared://1', 'b://only']);
    routes.recordTemplates('b', ['demo://item/{id}/text', 42]);
    expect(routes.route('file:///x', ['a', 'b'])).toBe('a');
    expect(routes.route('shared://1', ['a', 'b'])).toBe('a'); // first lister keeps it
    expect(routes.route('b://only', ['a', 'b'])).toBe('b');
    expect(routes.route('demo://item/7/text', ['a', 'b'])).toBe('b');
    expect(routes.route('demo://item/{id}/text', ['a', 'b'])).toBe('b');
    expect(routes.route('nowhere://x', ['a', 'b'])).toBeUndefined();
    expect(routes.route('nowhere://x', ['a'])).toBe('a');
    expect(routes.route('file:///x', ['b'])).toBe('b'); // its lister left: the only candidate
    routes.forget('a');
    expect(routes.route('file:///x', ['a', 'b'])).toBeUndefined();
  });

  it('treats template text literally apart from its expressions', () => {
    expect(templatePattern('x://a.b/{id}').test('x://a.b/1')).toBe(true);
    expect(templatePattern('x://a.b/{id}').test('x://aXb/1')).toBe(false);
    expect(templatePattern('x://{+path}?q=(1)').test('x://deep/path?q=(1)')).toBe(true);
  });

  it('lets plain expressions match within one path segment, reserved ones across segments', () => {
    const plain = templatePattern('demo://item/{id}/text');
    expect(plain.test('demo://item/7/text')).toBe(true);
    expect(plain.test('demo://item/a/b/text')).toBe(false);
    expect(plain.test('demo://item/7/text/')).toBe(false);
    for (const t of ['x://{+p}/end', 'x://{#p}/end', 'x://{/p*}/end', 'x://{?p,q}/end', 'x://{&p}/end']) {
      expect(templatePattern(t).test('x://a/b/c/end'), t).toBe(true);
      expect(templatePattern(t).test('x://a/b/c/ends'), t).toBe(false);
    }
    for (const t of ['x://{.p}/end', 'x://{;p}/end', 'x://{p,q}/end', 'x://{p*}/end', 'x://{}/end']) {
      expect(templatePattern(t).test('x://a.b;c=1/end'), t).toBe(true);
      expect(templatePattern(t).test('x://a/b/end'), t).toBe(false);
    }
    expect(templatePattern('x://{a}{b}/z').test('x://12/z')).toBe(true);
    expect(templatePattern('x://{a}{+b}/z').test('x://1/2/z')).toBe(true);
    expect(templatePattern('x://{a}/z').test('x:///z')).toBe(true); // an expression may be empty
  });

  it('finds a match a greedy scan would miss (a wide expression before a narrow one)', () => {
    expect(templatePattern('{+a}x{b}').test('x/x1')).toBe(true);
    expect(templatePattern('{+a}x{b}').test('x/x1/')).toBe(false);
    expect(templatePattern('{a}.{b}.{c}').test('a.b.c.d')).toBe(true);
  });

  it('treats an unclosed brace and regex characters literally', () => {
    expect(templatePattern('x://a{b').test('x://a{b')).toBe(true);
    expect(templatePattern('x://a{b').test('x://aXb')).toBe(false);
    expect(templatePattern('x://^$.*+?()[]|\\{id}').test('x://^$.*+?()[]|\\7')).toBe(true);
    expect(templatePattern('x://a.b').test('x://aXb')).toBe(false);
  });

  it('answers quickly for a hostile template with many expressions', { timeout: 5_000 }, () => {
    const hostile = `x://${'{p}a'.repeat(50)}{+q}!`;
    const uri = `x://${'a'.repeat(20_000)}`;
    expect(templatePattern(hostile).test(uri)).toBe(false);
    expect(templatePattern(hostile).test(`${uri}!`)).toBe(true);
    const slashes = `x://${'{+p}/'.repeat(50)}{q}!`;
    expect(templatePattern(slashes).test(`x://${'/'.repeat(20_000)}a`)).toBe(false);
    expect(templatePattern(slashes).test(`x://${'/'.repeat(20_000)}a!`)).toBe(true);
    const routes = new ResourceRoutes();
    routes.recordTemplates('evil', [hostile, slashes]);
    expect(routes.route(uri, ['evil', 'other'])).toBeUndefined();
  });

  it('never matches over-long templates or URIs', () => {
    const long = `x://${'a'.repeat(MAX_MATCHED_TEMPLATE_LENGTH)}{id}`;
    expect(templatePattern(long).test(`x://${'a'.repeat(MAX_MATCHED_TEMPLATE_LENGTH)}1`)).toBe(false);
    expect(templatePattern('x://{+p}').test(`x://${'a'.repeat(MAX_MATCHED_URI_LENGTH)}`)).toBe(false);
    expect(templatePattern('x://{+p}').test(`x://${'a'.repeat(1000)}`)).toBe(true);
    const routes = new ResourceRoutes();
    routes.recordTemplates('s', [long]);
    expect(routes.route(long, ['s', 't'])).toBe('s'); // the very template still routes
  });

  it('finds resource URIs in tool results', () => {
    expect(
      resourceUrisIn({
        content: [
          { type: 'text', text: 'x' },
          { type: 'resource_link', uri: 'a://1', name: 'a' },
          { type: 'resource', resource: { uri: 'b://2', text: '' } },
        ],
      }),
    ).toEqual(['a://1', 'b://2']);
    expect(resourceUrisIn({})).toEqual([]);
  });
});
