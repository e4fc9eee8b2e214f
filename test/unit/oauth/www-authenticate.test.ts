import { describe, expect, it } from 'vitest';
import { parseBearerChallenge } from '../../../electron/main/oauth/www-authenticate.ts';
import type { BearerChallenge } from '../../../electron/main/oauth/www-authenticate.ts';

const PRM = 'https://mcp.example.com/.well-known/oauth-protected-resource';

describe('parseBearerChallenge', () => {
  it.each<[string, string, BearerChallenge]>([
    ['bare scheme', 'Bearer', { scheme: 'Bearer' }],
    [
      'MCP spec 401 example (folded over lines)',
      `Bearer resource_metadata="${PRM}",\r\n                         scope="files:read"`,
      { scheme: 'Bearer', resourceMetadata: PRM, scope: ['files:read'] },
    ],
    [
      'MCP spec 403 insufficient_scope example',
      `Bearer error="insufficient_scope", scope="files:read files:write user:profile", resource_metadata="${PRM}", error_description="Additional file write permission required"`,
      {
        scheme: 'Bearer',
        error: 'insufficient_scope',
        scope: ['files:read', 'files:write', 'user:profile'],
        resourceMetadata: PRM,
        errorDescription: 'Additional file write permission required',
      },
    ],
    [
      'RFC 6750 §3 example',
      'Bearer realm="example", error="invalid_token", error_description="The access token expired"',
      {
        scheme: 'Bearer',
        realm: 'example',
        error: 'invalid_token',
        errorDescription: 'The access token expired',
      },
    ],
    [
      'token (unquoted) values',
      'Bearer error=invalid_token, realm=api',
      { scheme: 'Bearer', error: 'invalid_token', realm: 'api' },
    ],
    [
      'unquoted URL value (lenient)',
      `Bearer resource_metadata=${PRM}`,
      { scheme: 'Bearer', resourceMetadata: PRM },
    ],
    ['case-insensitive scheme', 'bEaReR realm="x"', { scheme: 'Bearer', realm: 'x' }],
    [
      'case-insensitive param names',
      'Bearer REALM="x", Error="e", Resource_Metadata="m"',
      { scheme: 'Bearer', realm: 'x', error: 'e', resourceMetadata: 'm' },
    ],
    [
      'escapes in quoted-string',
      'Bearer error_description="say \\"hi\\" \\\\ back\\slash"',
      { scheme: 'Bearer', errorDescription: 'say "hi" \\ backslash' },
    ],
    [
      'commas and equals inside quotes',
      'Bearer error_description="a, b=c, Basic realm=\\"x\\"", realm="r"',
      { scheme: 'Bearer', errorDescription: 'a, b=c, Basic realm="x"', realm: 'r' },
    ],
    [
      'whitespace around "="',
      'Bearer realm = "x" ,  error =  e',
      { scheme: 'Bearer', realm: 'x', error: 'e' },
    ],
    [
      'Bearer after another challenge',
      'Basic realm="basic", Bearer realm="bearer", scope="a"',
      { scheme: 'Bearer', realm: 'bearer', scope: ['a'] },
    ],
    [
      'Bearer before another challenge',
      'Bearer realm="bearer", Basic realm="basic", scope="not-bearer"',
      { scheme: 'Bearer', realm: 'bearer' },
    ],
    [
      'after a token68 challenge',
      'Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg==, Bearer scope="s"',
      { scheme: 'Bearer', scope: ['s'] },
    ],
    [
      'RFC 9110 §11.6.1 example plus Bearer',
      'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple", Bearer error="e"',
      { scheme: 'Bearer', error: 'e' },
    ],
    ['two headers joined by fetch', 'DPoP algs="ES256", Bearer realm="r"', { scheme: 'Bearer', realm: 'r' }],
    ['first Bearer wins', 'Bearer realm="one", Bearer realm="two"', { scheme: 'Bearer', realm: 'one' }],
    ['repeated parameter: first wins', 'Bearer realm="one", realm="two"', { scheme: 'Bearer', realm: 'one' }],
    ['scope: extra spaces, duplicates', 'Bearer scope="  a  b a  "', { scheme: 'Bearer', scope: ['a', 'b'] }],
    ['empty scope is omitted', 'Bearer scope=""', { scheme: 'Bearer' }],
    ['missing comma (lenient)', 'Bearer realm="x" error="y"', { scheme: 'Bearer', realm: 'x', error: 'y' }],
    ['leading commas and spaces', ' ,, Bearer realm="x"', { scheme: 'Bearer', realm: 'x' }],
    ['unterminated quote drops the rest', 'Bearer realm="x", error="oops', { scheme: 'Bearer', realm: 'x' }],
    ['garbage before Bearer is skipped', '@@@ ===, Bearer realm="x"', { scheme: 'Bearer', realm: 'x' }],
    ['unknown params ignored', 'Bearer foo="bar", realm="x"', { scheme: 'Bearer', realm: 'x' }],
  ])('%s', (_name, header, expected) => {
    expect(parseBearerChallenge(header)).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['empty', ''],
    ['only whitespace', '   \t '],
    ['Basic only', 'Basic realm="x"'],
    ['token68 only', 'Negotiate abc=='],
    ['Bearer as a parameter name', 'Basic bearer="x"'],
    ['Bearer inside a quoted value', 'Basic realm="Bearer realm=x"'],
    ['prefix of Bearer', 'Bearerx realm="x"'],
    ['Bearer as the token68 of another scheme', 'Foo Bearer'],
    ['a number (runtime garbage)', 42],
    ['an array (runtime garbage)', ['Bearer']],
  ])('no Bearer challenge: %s', (_name, header) => {
    expect(parseBearerChallenge(header as string | undefined)).toBeUndefined();
  });

  it.each([
    '"',
    '\\',
    '=',
    ',,,,',
    'Bearer "',
    'Bearer =',
    'Bearer realm=',
    'Bearer realm="\\',
    'Bearer \u0000\u0001\u00ff\ud800',
    '\u00e9\u00e9 Bearer',
    'Bearer realm="x"'.repeat(1000),
    'a '.repeat(50_000),
    '"'.repeat(50_000),
    'Bearer x='.repeat(10_000),
  ])('never throws on garbage #%#', (header) => {
    expect(() => parseBearerChallenge(header)).not.toThrow();
  });

  it('parses a large hostile header in linear time', () => {
    const header = `${'a=b, '.repeat(100_000)}${'x '.repeat(100_000)}Bearer realm="end"`;
    const start = performance.now();
    expect(parseBearerChallenge(header)).toEqual({ scheme: 'Bearer', realm: 'end' });
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
