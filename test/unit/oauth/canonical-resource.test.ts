import { describe, expect, it } from 'vitest';
import { canonicalResource, resourceMatches } from '../../../electron/main/oauth/canonical-resource.ts';

describe('canonicalResource', () => {
  it.each([
    // MCP §Canonical Server URI examples stay as they are (the root keeps its "/").
    ['https://mcp.example.com/mcp', 'https://mcp.example.com/mcp'],
    ['https://mcp.example.com', 'https://mcp.example.com/'],
    ['https://mcp.example.com/', 'https://mcp.example.com/'],
    ['https://mcp.example.com:8443', 'https://mcp.example.com:8443/'],
    ['https://mcp.example.com/server/mcp', 'https://mcp.example.com/server/mcp'],
    // Lower-case scheme and host; path and query keep their case.
    ['HTTPS://MCP.Example.COM/MCP', 'https://mcp.example.com/MCP'],
    ['https://mcp.example.com/mcp?Tenant=A&b=2', 'https://mcp.example.com/mcp?Tenant=A&b=2'],
    // No fragment, including an empty one.
    ['https://mcp.example.com/mcp#fragment', 'https://mcp.example.com/mcp'],
    ['https://mcp.example.com/mcp#', 'https://mcp.example.com/mcp'],
    ['https://mcp.example.com/#x', 'https://mcp.example.com/'],
    // No trailing slash on a non-root path.
    ['https://mcp.example.com/mcp/', 'https://mcp.example.com/mcp'],
    ['https://mcp.example.com/mcp///', 'https://mcp.example.com/mcp'],
    ['https://mcp.example.com/mcp/?x=1', 'https://mcp.example.com/mcp?x=1'],
    ['https://mcp.example.com/a/b/', 'https://mcp.example.com/a/b'],
    // Port: kept unless it is the scheme's default.
    ['https://mcp.example.com:443/mcp', 'https://mcp.example.com/mcp'],
    ['http://127.0.0.1:80/mcp', 'http://127.0.0.1/mcp'],
    ['http://127.0.0.1:3000/mcp/', 'http://127.0.0.1:3000/mcp'],
    ['https://[::1]:8443/mcp', 'https://[::1]:8443/mcp'],
    // Credentials never end up in a resource identifier.
    ['https://user:pass@mcp.example.com/mcp', 'https://mcp.example.com/mcp'],
    // IDN to punycode; dot segments resolved.
    ['https://bücher.example/mcp', 'https://xn--bcher-kva.example/mcp'],
    ['https://mcp.example.com/a/../mcp', 'https://mcp.example.com/mcp'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalResource(input)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const input of ['HTTPS://A.com/X/?q=1#f', 'https://a.com', 'http://127.0.0.1:3000/mcp/']) {
      const once = canonicalResource(input);
      expect(canonicalResource(once)).toBe(once);
    }
  });

  it.each(['', 'mcp.example.com', '/mcp', 'not a url'])('throws a TypeError for %j', (input) => {
    expect(() => canonicalResource(input)).toThrow(TypeError);
  });

  it('strips a long run of trailing slashes quickly', () => {
    const start = performance.now();
    expect(canonicalResource(`https://a.com/mcp${'/'.repeat(100_000)}`)).toBe('https://a.com/mcp');
    expect(performance.now() - start).toBeLessThan(1_000);
  });
});

describe('resourceMatches', () => {
  it.each([
    ['exact', 'https://mcp.example.com/mcp', 'https://mcp.example.com/mcp'],
    ['trailing slash on PRM', 'https://mcp.example.com/mcp/', 'https://mcp.example.com/mcp'],
    ['trailing slash on server', 'https://mcp.example.com/mcp', 'https://mcp.example.com/mcp/'],
    ['case of scheme and host', 'HTTPS://MCP.EXAMPLE.COM/mcp', 'https://mcp.example.com/mcp'],
    ['default port', 'https://mcp.example.com:443/mcp', 'https://mcp.example.com/mcp'],
    ['fragment ignored', 'https://mcp.example.com/mcp#x', 'https://mcp.example.com/mcp'],
    ['root-form PRM: origin without slash', 'https://mcp.example.com', 'https://mcp.example.com/mcp'],
    ['root-form PRM: origin with slash', 'https://mcp.example.com/', 'https://mcp.example.com/mcp'],
    [
      'path prefix at a segment boundary',
      'https://mcp.example.com/api',
      'https://mcp.example.com/api/v1/mcp',
    ],
    ['same query', 'https://mcp.example.com/mcp?t=1', 'https://mcp.example.com/mcp?t=1'],
    ['server query, PRM without', 'https://mcp.example.com/mcp', 'https://mcp.example.com/mcp?t=1'],
    ['loopback with port', 'http://127.0.0.1:3000/mcp', 'http://127.0.0.1:3000/mcp'],
  ])('matches: %s', (_name, prm, server) => {
    expect(resourceMatches(prm, server)).toBe(true);
  });

  it.each([
    ['other host', 'https://evil.example.com/mcp', 'https://mcp.example.com/mcp'],
    ['subdomain', 'https://a.mcp.example.com/mcp', 'https://mcp.example.com/mcp'],
    ['parent domain', 'https://example.com/mcp', 'https://mcp.example.com/mcp'],
    ['other scheme', 'http://mcp.example.com/mcp', 'https://mcp.example.com/mcp'],
    ['other port', 'https://mcp.example.com:8443/mcp', 'https://mcp.example.com/mcp'],
    ['partial segment', 'https://mcp.example.com/mc', 'https://mcp.example.com/mcp'],
    ['longer path than server', 'https://mcp.example.com/mcp/extra', 'https://mcp.example.com/mcp'],
    ['sibling path', 'https://mcp.example.com/other', 'https://mcp.example.com/mcp'],
    ['other query', 'https://mcp.example.com/mcp?t=2', 'https://mcp.example.com/mcp?t=1'],
    ['PRM query, server without', 'https://mcp.example.com/mcp?t=1', 'https://mcp.example.com/mcp'],
    ['PRM prefix with a query', 'https://mcp.example.com/?t=1', 'https://mcp.example.com/mcp'],
    ['userinfo trick', 'https://mcp.example.com@evil.example/mcp', 'https://mcp.example.com/mcp'],
    ['non-http scheme', 'urn:example:mcp', 'urn:example:mcp:sub'],
    ['relative PRM', '/mcp', 'https://mcp.example.com/mcp'],
    ['empty PRM', '', 'https://mcp.example.com/mcp'],
    ['garbage server', 'https://mcp.example.com/mcp', 'not a url'],
  ])('does not match: %s', (_name, prm, server) => {
    expect(resourceMatches(prm, server)).toBe(false);
  });

  it('never throws on non-strings', () => {
    expect(resourceMatches(42 as unknown as string, 'https://a.com')).toBe(false);
    expect(resourceMatches('https://a.com', undefined as unknown as string)).toBe(false);
  });
});
