import { describe, expect, it } from 'vitest';
import { checkServerUrl, isLoopbackHost } from '../../../electron/main/services/server-url.ts';

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'LOCALHOST',
    'LocalHost',
    '127.0.0.1',
    '127.0.0.2',
    '127.255.255.254',
    '::1',
    '[::1]',
  ])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    'example.com',
    'localhost.evil.com',
    'evil-localhost',
    'localhost.',
    '127.0.0.1.nip.io',
    '128.0.0.1',
    '10.0.0.1',
    '192.168.1.1',
    '0.0.0.0',
    '1.127.0.0',
    '::',
    '[::]',
    '::2',
    'fe80::1',
    '',
  ])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('checkServerUrl', () => {
  it.each([
    ['https://example.com/mcp', 'https://example.com/mcp'],
    ['https://EXAMPLE.com/mcp', 'https://example.com/mcp'],
    ['https://example.com', 'https://example.com/'],
    ['https://example.com:8443/a/b?x=1', 'https://example.com:8443/a/b?x=1'],
    ['https://example.com:443/mcp', 'https://example.com/mcp'],
    ['http://localhost:3000/mcp', 'http://localhost:3000/mcp'],
    ['http://127.0.0.1:3000/mcp', 'http://127.0.0.1:3000/mcp'],
    ['http://127.1:3000/mcp', 'http://127.0.0.1:3000/mcp'],
    ['http://[::1]:3000/mcp', 'http://[::1]:3000/mcp'],
    ['HTTP://LOCALHOST/mcp', 'http://localhost/mcp'],
    ['  https://example.com/mcp  ', 'https://example.com/mcp'],
  ])('accepts %j as %j', (raw, url) => {
    expect(checkServerUrl(raw, false)).toEqual({ url });
  });

  it.each([
    'http://example.com/mcp',
    'http://10.0.0.5:8080/mcp',
    'http://192.168.1.1/mcp',
    'http://0.0.0.0:3000/mcp',
    'http://localhost.evil.com/mcp',
    'http://127.0.0.1.nip.io/mcp',
    'http://[::ffff:127.0.0.1]/mcp',
  ])('refuses plain %s unless insecure http is allowed', (raw) => {
    const refused = checkServerUrl(raw, false);
    expect(refused).toHaveProperty('error');
    expect((refused as { error: string }).error).toMatch(/is not encrypted.*--allow-insecure-http/);
    expect(checkServerUrl(raw, true)).toHaveProperty('url');
  });

  it.each([
    ['not a URL', 'example.com/mcp', /is not a URL/],
    ['an empty string', '', /is not a URL/],
    ['a relative path', '/mcp', /is not a URL/],
    ['ftp', 'ftp://example.com/mcp', /only http and https.*ftp:/],
    ['ws', 'ws://localhost:3000/mcp', /only http and https.*ws:/],
    ['file', 'file:///etc/passwd', /only http and https.*file:/],
    ['javascript', 'javascript:alert(1)', /only http and https.*javascript:/],
    ['user and password', 'https://user:pass@example.com/mcp', /do not put credentials in the URL/],
    ['a user only', 'https://user@example.com/mcp', /do not put credentials in the URL/],
    ['a password only', 'https://:pass@example.com/mcp', /do not put credentials in the URL/],
    ['a fragment', 'https://example.com/mcp#x', /must not have a #fragment/],
  ])('refuses %s', (_label, raw, reason) => {
    const result = checkServerUrl(raw, true);
    expect(result).not.toHaveProperty('url');
    expect((result as { error: string }).error).toMatch(reason);
  });

  it('does not echo credentials from the URL back in the error', () => {
    const result = checkServerUrl('https://user:hunter2@example.com/mcp', false) as { error: string };
    expect(result.error).not.toContain('hunter2');
  });
});
