import { describe, expect, it } from 'vitest';
import {
  MAX_URL_LENGTH,
  checkAuthorizationEndpoint,
  checkDiscoveredUrl,
  checkOpenableUrl,
  reservedAddressRange,
} from '../../../electron/main/oauth/url-safety.ts';
import type { DiscoveryContext } from '../../../electron/main/oauth/url-safety.ts';
import { HOSTILE_OPENER_URLS, encodeTimes, realAuthorizationUrl } from './hostile-urls.ts';

const PUBLIC: DiscoveryContext = { serverUrl: 'https://mcp.example.com/mcp' };
const PUBLIC_INSECURE: DiscoveryContext = {
  serverUrl: 'https://mcp.example.com/mcp',
  allowInsecureHttp: true,
};
const LOOPBACK: DiscoveryContext = { serverUrl: 'http://127.0.0.1:3000/mcp' };
const LOCALHOST: DiscoveryContext = { serverUrl: 'http://localhost:3000/mcp' };
const GATEWAY_PORT = 7337;

/** B2 SSRF targets and their obfuscations, as https so the host rule (not the http rule) refuses them. */
const SSRF_TARGETS: readonly (readonly [url: string, reason: string])[] = [
  ['https://169.254.169.254/latest/meta-data/', 'link-local'],
  ['https://[::ffff:169.254.169.254]/', 'IPv4-mapped'],
  ['https://[::ffff:a9fe:a9fe]/', 'IPv4-mapped'],
  ['https://[64:ff9b::a9fe:a9fe]/', 'NAT64'],
  [`https://127.0.0.1:${GATEWAY_PORT}/mcp`, 'loopback'],
  [`https://127.0.0.2:${GATEWAY_PORT}/`, 'loopback'],
  ['https://127.1/', 'loopback'],
  ['https://2130706433/', 'loopback'],
  ['https://0x7f.0.0.1/', 'loopback'],
  ['https://0x7f.1/', 'loopback'],
  ['https://017700000001/', 'loopback'],
  ['https://127.0.0.1./', 'loopback'],
  ['https://[::1]/', 'loopback'],
  ['https://[::ffff:127.0.0.1]/', 'IPv4-mapped'],
  ['https://[::127.0.0.1]/', 'IPv4-compatible'],
  ['https://[2002:7f00:1::]/', '6to4'],
  [`https://0.0.0.0:${GATEWAY_PORT}/`, 'unspecified'],
  ['https://0/', 'unspecified'],
  ['https://[::]/', 'unspecified'],
  ['https://10.0.0.1/', 'private'],
  ['https://10.255.255.255/', 'private'],
  ['https://012.1/', 'private'],
  ['https://172.16.0.1/', 'private'],
  ['https://172.31.255.255/', 'private'],
  ['https://192.168.1.1/', 'private'],
  ['https://100.64.0.1/', 'CGNAT'],
  ['https://100.127.255.254/', 'CGNAT'],
  ['https://224.0.0.251/', 'multicast'],
  ['https://255.255.255.255/', 'broadcast'],
  ['https://[fd00::1]/', 'unique local'],
  ['https://[fc00::1]/', 'unique local'],
  ['https://[fdff:ffff:ffff::1]/', 'unique local'],
  ['https://[fe80::1]/', 'link-local'],
  ['https://[febf::1]/', 'link-local'],
  ['https://[ff02::1]/', 'multicast'],
  ['https://localhost/', 'this machine'],
  [`https://LOCALHOST:${GATEWAY_PORT}/`, 'this machine'],
  ['https://localhost./', 'this machine'],
  ['https://api.localhost/', 'this machine'],
  ['https://a.b.localhost../', 'this machine'],
];

describe('reservedAddressRange', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['100.64.0.0', 'CGNAT'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.255', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.20.0.1', 'private'],
    ['192.0.2.1', 'documentation'],
    ['192.168.0.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'IPv4-mapped'],
    ['2001:db8::1', 'documentation'],
    ['2001:0:4136:e378::1', 'Teredo'],
    ['fd12:3456::1', 'unique local'],
    ['fe80::1234', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff05::2', 'multicast'],
  ])('%s is %s', (address, label) => {
    expect(reservedAddressRange(address)).toContain(label);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '172.15.255.255',
    '172.32.0.0',
    '192.167.255.255',
    '192.169.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001::200e',
    'fbff::1',
    'example.com',
    'localhost',
    '',
    '[::1]',
  ])('%s is not reserved', (address) => {
    expect(reservedAddressRange(address)).toBeUndefined();
  });
});

describe('checkDiscoveredUrl', () => {
  it.each<[string, DiscoveryContext, string, string]>([
    ['AS issuer', PUBLIC, 'https://auth.example.com', 'https://auth.example.com/'],
    [
      'AS metadata, path form',
      PUBLIC,
      'https://auth.example.com/.well-known/oauth-authorization-server/tenant1',
      'https://auth.example.com/.well-known/oauth-authorization-server/tenant1',
    ],
    [
      'PRM on the server',
      PUBLIC,
      'https://MCP.example.com/.well-known/oauth-protected-resource/mcp',
      'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
    ],
    [
      'port and query',
      PUBLIC,
      'https://auth.example.com:8443/token?p=B2C_1',
      'https://auth.example.com:8443/token?p=B2C_1',
    ],
    ['public IPv4 literal', PUBLIC, 'https://8.8.8.8/token', 'https://8.8.8.8/token'],
    ['public IPv6 literal', PUBLIC, 'https://[2606:4700::1111]/', 'https://[2606:4700::1111]/'],
    ['outside 172.16/12', PUBLIC, 'https://172.32.0.1/', 'https://172.32.0.1/'],
    ['outside CGNAT', PUBLIC, 'https://100.128.0.1/', 'https://100.128.0.1/'],
    ['localhost as a label', PUBLIC, 'https://localhost.example.com/', 'https://localhost.example.com/'],
    ['IDN to punycode', PUBLIC, 'https://bücher.example/as', 'https://xn--bcher-kva.example/as'],
    ['opt-in http', PUBLIC_INSECURE, 'http://auth.example.com/token', 'http://auth.example.com/token'],
    [
      'loopback server, http loopback',
      LOOPBACK,
      'http://127.0.0.1:3000/.well-known/oauth-protected-resource',
      'http://127.0.0.1:3000/.well-known/oauth-protected-resource',
    ],
    [
      'loopback server, http localhost',
      LOOPBACK,
      'http://localhost:9000/token',
      'http://localhost:9000/token',
    ],
    ['loopback server, http [::1]', LOOPBACK, 'http://[::1]:9000/', 'http://[::1]:9000/'],
    ['loopback server, http 127.1', LOOPBACK, 'http://127.1:9000/', 'http://127.0.0.1:9000/'],
    ['localhost server, http 127.0.0.1', LOCALHOST, 'http://127.0.0.1:9000/', 'http://127.0.0.1:9000/'],
    ['loopback server, https private', LOOPBACK, 'https://10.0.0.5/as', 'https://10.0.0.5/as'],
    ['loopback server, https public', LOOPBACK, 'https://auth.example.com/', 'https://auth.example.com/'],
  ])('accepts %s', (_name, context, url, href) => {
    const result = checkDiscoveredUrl(url, context);
    expect(result).toEqual({ ok: true, url: expect.any(URL) as unknown });
    expect(result.ok && result.url.href).toBe(href);
  });

  it.each(SSRF_TARGETS)('refuses SSRF target %s for a public server', (url, reason) => {
    const result = checkDiscoveredUrl(url, PUBLIC);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it.each(SSRF_TARGETS)('refuses SSRF target %s even with allowInsecureHttp', (url, reason) => {
    const result = checkDiscoveredUrl(url.replace('https:', 'http:'), PUBLIC_INSECURE);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it.each<[string, DiscoveryContext, string, string]>([
    ['plain http', PUBLIC, 'http://auth.example.com/token', 'not encrypted'],
    ['plain http to the gateway', PUBLIC, `http://127.0.0.1:${GATEWAY_PORT}/`, 'not encrypted'],
    ['plain http to cloud metadata', PUBLIC, 'http://169.254.169.254/', 'not encrypted'],
    ['loopback server, http public', LOOPBACK, 'http://auth.example.com/', 'not encrypted'],
    ['loopback server, http private', LOOPBACK, 'http://10.0.0.5/', 'not encrypted'],
    ['loopback server, http mapped loopback', LOOPBACK, 'http://[::ffff:127.0.0.1]/', 'not encrypted'],
    [
      'public server on 127.0.0.1.nip.io',
      { serverUrl: 'https://127.0.0.1.nip.io/mcp' },
      'http://127.0.0.1/',
      'not encrypted',
    ],
    ['credentials', PUBLIC, 'https://user:pass@auth.example.com/', 'credentials'],
    ['fragment', PUBLIC, 'https://auth.example.com/#frag', 'fragment'],
    ['empty fragment', PUBLIC, 'https://auth.example.com/#', 'fragment'],
    ['ftp', PUBLIC, 'ftp://auth.example.com/', 'scheme'],
    ['file', PUBLIC, 'file:///etc/passwd', 'scheme'],
    ['javascript', LOOPBACK, 'javascript:alert(1)', 'scheme'],
    ['relative', PUBLIC, '/.well-known/oauth-protected-resource', 'not an absolute URL'],
    ['empty', PUBLIC, '', 'not a URL'],
    ['leading space', PUBLIC, ' https://auth.example.com/', 'whitespace'],
    ['newline', PUBLIC, 'https://auth.example.com/\n', 'control'],
    ['tab in host', PUBLIC, 'https://auth.\texample.com/', 'control'],
    ['10 KB', PUBLIC, `https://auth.example.com/${'a'.repeat(10_240)}`, 'longer'],
    ['invalid server URL', { serverUrl: 'not a url' }, 'https://auth.example.com/', 'MCP server URL'],
    ['non-http server URL', { serverUrl: 'file:///srv/mcp' }, 'https://auth.example.com/', 'MCP server URL'],
  ])('refuses %s', (_name, context, url, reason) => {
    const result = checkDiscoveredUrl(url, context);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('never throws on runtime garbage', () => {
    const garbage: unknown[] = [undefined, null, 42, {}, ['https://a.com']];
    for (const value of garbage) {
      expect(checkDiscoveredUrl(value as string, PUBLIC).ok).toBe(false);
      expect(
        checkDiscoveredUrl('https://a.com/', { serverUrl: value } as unknown as DiscoveryContext).ok,
      ).toBe(false);
    }
  });
});

describe('checkOpenableUrl', () => {
  it.each([
    ['https://auth.example.com/authorize', 'https://auth.example.com/authorize'],
    ['HTTPS://AUTH.Example.com/authorize', 'https://auth.example.com/authorize'],
    [
      'https://auth.example.com/oauth2/v2.0/authorize?p=B2C_1_signin',
      'https://auth.example.com/oauth2/v2.0/authorize?p=B2C_1_signin',
    ],
    ['https://auth.example.com/authorize?a=1&b=2', 'https://auth.example.com/authorize?a=1&b=2'],
    [
      'https://auth.example.com/authorize?scope=openid+profile',
      'https://auth.example.com/authorize?scope=openid+profile',
    ],
    ['https://auth.example.com/a%20b', 'https://auth.example.com/a%20b'],
    ['https://bücher.example/authorize', 'https://xn--bcher-kva.example/authorize'],
    ['https://аррӏе.com/', 'https://xn--80ak6aa92e.com/'],
    ['https://auth.example.com/é', 'https://auth.example.com/%C3%A9'],
    [`http://127.0.0.1:${GATEWAY_PORT}/`, `http://127.0.0.1:${GATEWAY_PORT}/`],
    [realAuthorizationUrl(), realAuthorizationUrl()],
    [`https://a.com/?q=${encodeTimes('/', 3)}`, `https://a.com/?q=${encodeTimes('/', 3)}`],
    ['https://a.com/%E2%82%AC?q=%E2%82%AC', 'https://a.com/%E2%82%AC?q=%E2%82%AC'],
  ])('accepts %s', (url, href) => {
    const result = checkOpenableUrl(url);
    expect(result.ok && result.href).toBe(href);
    expect(result.ok && result.url.href).toBe(href);
    expect(href).toMatch(/^https?:\/\/[\x21-\x7e]+$/);
  });

  it.each(HOSTILE_OPENER_URLS)('refuses %s', (_name, url) => {
    expect(checkOpenableUrl(url)).toEqual({ ok: false, reason: expect.any(String) as unknown });
  });

  it('accepts exactly MAX_URL_LENGTH characters', () => {
    const url = `https://a.com/${'a'.repeat(MAX_URL_LENGTH - 'https://a.com/'.length)}`;
    expect(checkOpenableUrl(url).ok).toBe(true);
  });

  it('refuses a URL that percent-encoding makes longer than the limit', () => {
    const url = `https://a.com/${'é'.repeat(1000)}`;
    expect(url.length).toBeLessThan(MAX_URL_LENGTH);
    expect(checkOpenableUrl(url)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('longer') as unknown,
    });
  });

  it('explains why', () => {
    expect(checkOpenableUrl('javascript:alert(1)')).toMatchObject({
      reason: expect.stringContaining('javascript:') as unknown,
    });
    expect(checkOpenableUrl('https://a.com/$(calc)')).toMatchObject({
      reason: expect.stringContaining('"$"') as unknown,
    });
    expect(checkOpenableUrl('https://a.com/x%0acalc')).toMatchObject({
      reason: expect.stringContaining('control') as unknown,
    });
    expect(checkOpenableUrl(`https://a.com/?q=${encodeTimes('$', 10)}`)).toMatchObject({
      reason: expect.stringContaining('too many') as unknown,
    });
  });
});

describe('checkAuthorizationEndpoint', () => {
  it.each<[DiscoveryContext, string, string]>([
    [PUBLIC, 'https://auth.example.com/authorize', 'https://auth.example.com/authorize'],
    [
      PUBLIC,
      'https://Auth.Example.com:8443/oauth2/authorize?p=B2C_1_signin',
      'https://auth.example.com:8443/oauth2/authorize?p=B2C_1_signin',
    ],
    [PUBLIC, 'https://аррӏе.com/authorize', 'https://xn--80ak6aa92e.com/authorize'],
    [PUBLIC_INSECURE, 'http://auth.example.com/authorize', 'http://auth.example.com/authorize'],
    [LOOPBACK, 'http://127.0.0.1:3000/authorize', 'http://127.0.0.1:3000/authorize'],
    [LOOPBACK, 'http://localhost:3000/authorize', 'http://localhost:3000/authorize'],
  ])('accepts %j %s', (context, url, href) => {
    const result = checkAuthorizationEndpoint(url, context);
    expect(result).toEqual({ ok: true, url: expect.any(URL) as unknown, href });
  });

  it.each(HOSTILE_OPENER_URLS)('refuses %s (public server)', (_name, url) => {
    expect(checkAuthorizationEndpoint(url, PUBLIC).ok).toBe(false);
  });

  it.each(HOSTILE_OPENER_URLS)('refuses %s (loopback server)', (_name, url) => {
    expect(checkAuthorizationEndpoint(url, LOOPBACK).ok).toBe(false);
  });

  it.each(SSRF_TARGETS)('refuses %s from a public server', (url, reason) => {
    expect(checkAuthorizationEndpoint(url, PUBLIC)).toEqual({
      ok: false,
      reason: expect.stringContaining(reason) as unknown,
    });
  });

  it.each<[DiscoveryContext, string, string]>([
    [PUBLIC, 'http://auth.example.com/authorize', 'not encrypted'],
    [LOOPBACK, 'http://auth.example.com/authorize', 'not encrypted'],
    [PUBLIC, 'javascript:alert(1)', 'scheme'],
    [LOOPBACK, 'data:text/html,x', 'scheme'],
    [PUBLIC, 'https://a.com/$(calc)', 'metacharacter'],
  ])('refuses %j %s', (context, url, reason) => {
    expect(checkAuthorizationEndpoint(url, context)).toEqual({
      ok: false,
      reason: expect.stringContaining(reason) as unknown,
    });
  });
});
