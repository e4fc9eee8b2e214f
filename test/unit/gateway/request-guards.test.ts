import { describe, expect, it } from 'vitest';
import {
  allowedHosts,
  allowedOrigins,
  bearerToken,
  checkHost,
  checkOrigin,
  checkPostHeaders,
  checkProtocolVersion,
  SUPPORTED_PROTOCOL_VERSIONS,
  tokenHelp,
} from '../../../electron/main/gateway/request-guards.ts';

const PORT = 7337;

/** Raw headers as node:http gives them: name, value, name, value… */
function raw(...pairs: [string, string][]): string[] {
  return pairs.flat();
}

describe('allowedHosts / allowedOrigins', () => {
  it('lists exactly the two loopback names with the port', () => {
    expect([...allowedHosts(PORT)].sort()).toEqual([`127.0.0.1:${PORT}`, `localhost:${PORT}`]);
    expect([...allowedOrigins(PORT)].sort()).toEqual([
      `http://127.0.0.1:${PORT}`,
      `http://localhost:${PORT}`,
    ]);
  });
});

describe('checkHost', () => {
  it.each([`127.0.0.1:${PORT}`, `localhost:${PORT}`])('accepts %s', (host) => {
    expect(checkHost(raw(['Host', host]), PORT)).toBeUndefined();
  });

  it('finds the Host header whatever the case of its name and wherever it is', () => {
    expect(
      checkHost(raw(['Accept', '*/*'], ['HOST', `127.0.0.1:${PORT}`], ['User-Agent', 'x']), PORT),
    ).toBeUndefined();
    expect(checkHost(raw(['host', `localhost:${PORT}`]), PORT)).toBeUndefined();
  });

  it.each([
    ['a foreign name', 'evil.com'],
    ['a foreign name with our port', `evil.com:${PORT}`],
    ['a name that starts with localhost', `localhost.evil.com:${PORT}`],
    ['a wildcard-DNS name for loopback', `127.0.0.1.nip.io:${PORT}`],
    ['upper case (we do not fold case)', `LOCALHOST:${PORT}`],
    ['mixed case', `LocalHost:${PORT}`],
    ['a trailing dot', `localhost.:${PORT}`],
    ['short IPv4 form', `127.1:${PORT}`],
    ['decimal IPv4 form', `2130706433:${PORT}`],
    ['hex IPv4 form', `0x7f.1:${PORT}`],
    ['IPv4-mapped IPv6', `[::ffff:127.0.0.1]:${PORT}`],
    ['IPv6 loopback (not in the list)', `[::1]:${PORT}`],
    ['the any address', `0.0.0.0:${PORT}`],
    ['another loopback address', `127.0.0.2:${PORT}`],
    ['the wrong port', `127.0.0.1:${PORT + 1}`],
    ['localhost with the wrong port', `localhost:${PORT + 1}`],
    ['no port', '127.0.0.1'],
    ['localhost without port', 'localhost'],
    ['an empty port', '127.0.0.1:'],
    ['a port with a leading zero', `127.0.0.1:0${PORT}`],
    ['surrounding space', ` 127.0.0.1:${PORT} `],
    ['userinfo', `user@127.0.0.1:${PORT}`],
    ['an empty value', ''],
  ])('refuses %s (%j)', (_label, host) => {
    const refusal = checkHost(raw(['Host', host]), PORT);
    expect(refusal?.status).toBe(403);
    expect(refusal?.message).toMatch(/^Invalid Host header/);
    expect(refusal?.message).toContain(`127.0.0.1:${PORT}`);
  });

  describe('without a port in Host', () => {
    // Clients leave the port out of Host when it is the scheme's default (RFC 9110 §7.2): 80 for http.
    it.each(['127.0.0.1', 'localhost', '127.0.0.1:80', 'localhost:80'])('accepts %j on port 80', (host) => {
      expect(checkHost(raw(['Host', host]), 80)).toBeUndefined();
    });

    it.each([1, 443, 8080, 7337, 65535])('refuses a bare name on port %i', (port) => {
      for (const host of ['127.0.0.1', 'localhost']) {
        expect(checkHost(raw(['Host', host]), port), host).toEqual({
          status: 403,
          message: `Invalid Host header: ${host} (use 127.0.0.1:${port} or localhost:${port})`,
        });
      }
    });

    it.each([
      ['a foreign name', 'evil.com'],
      ['upper case', 'LOCALHOST'],
      ['a trailing dot', 'localhost.'],
      ['another loopback address', '127.0.0.2'],
      ['IPv6 loopback', '[::1]'],
      ['an empty port', '127.0.0.1:'],
      ['another port', '127.0.0.1:8080'],
      ['a port with a leading zero', 'localhost:080'],
      ['surrounding space', ' localhost '],
      ['an empty value', ''],
    ])('still refuses %s (%j) on port 80', (_label, host) => {
      const refusal = checkHost(raw(['Host', host]), 80);
      expect(refusal?.status).toBe(403);
      expect(refusal?.message).toMatch(/^Invalid Host header/);
    });

    it('still refuses two Host headers on port 80', () => {
      expect(checkHost(raw(['Host', 'localhost'], ['Host', 'localhost']), 80)).toEqual({
        status: 403,
        message: 'More than one Host header',
      });
    });
  });

  it('refuses a request without Host', () => {
    expect(checkHost(raw(['Accept', '*/*']), PORT)).toEqual({ status: 403, message: 'Missing Host header' });
    expect(checkHost([], PORT)).toEqual({ status: 403, message: 'Missing Host header' });
  });

  it('refuses two Host headers, even when both are valid', () => {
    const expected = { status: 403, message: 'More than one Host header' };
    expect(checkHost(raw(['Host', `127.0.0.1:${PORT}`], ['Host', 'evil.com']), PORT)).toEqual(expected);
    expect(checkHost(raw(['Host', 'evil.com'], ['host', `127.0.0.1:${PORT}`]), PORT)).toEqual(expected);
    expect(checkHost(raw(['Host', `127.0.0.1:${PORT}`], ['Host', `127.0.0.1:${PORT}`]), PORT)).toEqual(
      expected,
    );
  });

  it('does not take another header for Host', () => {
    const refusal = checkHost(raw(['X-Forwarded-Host', `127.0.0.1:${PORT}`]), PORT);
    expect(refusal?.message).toBe('Missing Host header');
  });

  it('truncates a very long Host in the message', () => {
    const refusal = checkHost(raw(['Host', 'a'.repeat(500)]), PORT);
    expect(refusal?.message).toContain('a'.repeat(80) + '…');
    expect(refusal?.message).not.toContain('a'.repeat(81));
  });
});

describe('checkOrigin', () => {
  it('lets a request without Origin through (non-browser clients)', () => {
    expect(checkOrigin(undefined, undefined, PORT)).toBeUndefined();
  });

  it.each([`http://127.0.0.1:${PORT}`, `http://localhost:${PORT}`])('accepts our own origin %s', (origin) => {
    expect(checkOrigin(origin, undefined, PORT)).toBeUndefined();
    expect(checkOrigin(origin, 'same-origin', PORT)).toBeUndefined();
  });

  it.each([
    ['null', 'null'],
    ['a foreign site', 'http://evil.com'],
    ['a foreign https site', 'https://evil.com'],
    ['localhost on another port', `http://localhost:${PORT + 1}`],
    ['127.0.0.1 on another port', `http://127.0.0.1:${PORT + 1}`],
    ['localhost without port', 'http://localhost'],
    ['a file page', 'file://'],
    ['https to our port', `https://127.0.0.1:${PORT}`],
    ['upper case', `http://LOCALHOST:${PORT}`],
    ['a trailing slash', `http://127.0.0.1:${PORT}/`],
    ['a look-alike host', `http://localhost.evil.com:${PORT}`],
    ['an empty Origin', ''],
    ['two origins joined', `http://127.0.0.1:${PORT}, http://evil.com`],
  ])('refuses %s (%j)', (_label, origin) => {
    const refusal = checkOrigin(origin, undefined, PORT);
    expect(refusal?.status).toBe(403);
    expect(refusal?.message).toMatch(/^Invalid Origin header/);
  });

  it.each(['cross-site', 'Cross-Site', 'CROSS-SITE'])(
    'refuses Sec-Fetch-Site: %s with or without Origin',
    (site) => {
      expect(checkOrigin(undefined, site, PORT)).toEqual({
        status: 403,
        message: 'Cross-site requests are not allowed',
      });
      expect(checkOrigin(`http://127.0.0.1:${PORT}`, site, PORT)?.status).toBe(403);
    },
  );

  it.each(['same-origin', 'same-site', 'none'])('does not refuse Sec-Fetch-Site: %s on its own', (site) => {
    expect(checkOrigin(undefined, site, PORT)).toBeUndefined();
  });

  it('still checks Origin when Sec-Fetch-Site is not cross-site', () => {
    expect(checkOrigin('http://evil.com', 'same-site', PORT)?.status).toBe(403);
  });
});

describe('bearerToken', () => {
  const token = 'ghc_AbC-123_xyz.~+/=';

  it.each([
    ['the canonical form', `Bearer ${token}`, token],
    ['lower-case scheme', `bearer ${token}`, token],
    ['upper-case scheme', `BEARER ${token}`, token],
    ['several spaces after the scheme', `Bearer    ${token}`, token],
    ['trailing whitespace', `Bearer ${token}  `, token],
    ['a single character', 'Bearer a', 'a'],
    ['the longest allowed token', `Bearer ${'a'.repeat(512)}`, 'a'.repeat(512)],
  ])('extracts the token from %s', (_label, header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['no space after the scheme', `Bearer${token}`],
    ['a tab after the scheme', `Bearer\t${token}`],
    ['leading whitespace', ` Bearer ${token}`],
    ['a Basic scheme', 'Basic dXNlcjpwYXNz'],
    ['a Token scheme', `Token ${token}`],
    ['a Digest scheme', 'Digest username="a"'],
    ['the token without scheme', token],
    ['two tokens', `Bearer ${token} ${token}`],
    ['a comma-joined list', `Bearer ${token}, Bearer other`],
    ['a quoted token', `Bearer "${token}"`],
    ['a token with forbidden characters', 'Bearer abc;def'],
    ['a token with non-ASCII characters', 'Bearer abcé'],
    ['a token that is too long', `Bearer ${'a'.repeat(513)}`],
    ['a query string', `?access_token=${token}`],
    ['a URL with a token', `http://127.0.0.1:${PORT}/mcp/x?token=${token}`],
  ])('finds no token in %s', (_label, header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});

describe('tokenHelp', () => {
  it('tells a client how to get a token', () => {
    expect(tokenHelp('missing')).toMatch(/^Gatehouse needs a client token\./);
    expect(tokenHelp('invalid')).toMatch(/not valid \(unknown or revoked\)/);
    for (const reason of ['missing', 'invalid'] as const) {
      expect(tokenHelp(reason)).toContain('gatehouse client add <name>');
      expect(tokenHelp(reason)).toContain('Authorization: Bearer <token>');
    }
  });
});

describe('checkProtocolVersion', () => {
  it('accepts a request without the header (older clients, initialize)', () => {
    expect(checkProtocolVersion(undefined)).toBeUndefined();
  });

  it.each(SUPPORTED_PROTOCOL_VERSIONS)('accepts %s', (version) => {
    expect(checkProtocolVersion(version)).toBeUndefined();
  });

  it('supports the current and the original protocol versions', () => {
    expect(SUPPORTED_PROTOCOL_VERSIONS).toContain('2025-11-25');
    expect(SUPPORTED_PROTOCOL_VERSIONS).toContain('2024-11-05');
  });

  it.each(['', '2099-01-01', '2025-11-25 ', ' 2025-11-25', '2025-6-18', 'latest', '2025-11-25,2025-06-18'])(
    'refuses %j with 400 and the supported list',
    (version) => {
      const refusal = checkProtocolVersion(version);
      expect(refusal?.status).toBe(400);
      expect(refusal?.message).toMatch(/^Bad Request: Unsupported protocol version/);
      expect(refusal?.message).toContain(SUPPORTED_PROTOCOL_VERSIONS.join(', '));
    },
  );

  it('truncates a huge version in the message', () => {
    const refusal = checkProtocolVersion('9'.repeat(1000));
    expect(refusal?.message.length).toBeLessThan(300);
  });
});

describe('checkPostHeaders', () => {
  const both = 'application/json, text/event-stream';

  it.each([
    ['application/json', both],
    ['application/json; charset=utf-8', both],
    ['Application/JSON', both],
    [' application/json ', both],
    ['application/json', 'text/event-stream, application/json'],
    ['application/json', '*/*'],
    ['application/json', 'APPLICATION/JSON, TEXT/EVENT-STREAM'],
    ['application/json', 'application/json;q=0.9, text/event-stream;q=0.8'],
  ])('accepts Content-Type %j with Accept %j', (contentType, accept) => {
    expect(checkPostHeaders(contentType, accept)).toBeUndefined();
  });

  it.each([
    // The three CORS "simple request" types a page can POST cross-site without a preflight.
    ['text/plain (CSRF simple request)', 'text/plain'],
    ['text/plain with charset', 'text/plain;charset=UTF-8'],
    ['an urlencoded form (CSRF simple request)', 'application/x-www-form-urlencoded'],
    ['a multipart form (CSRF simple request)', 'multipart/form-data; boundary=xyz'],
    ['a missing Content-Type', undefined],
    ['an empty Content-Type', ''],
    ['a JSON-like subtype', 'application/json-patch+json'],
    ['a vendor JSON type', 'application/vnd.api+json'],
    ['a list of types', 'text/plain, application/json'],
    ['the type with a prefix', 'xapplication/json'],
  ])('refuses %s with 415', (_label, contentType) => {
    const refusal = checkPostHeaders(contentType, both);
    expect(refusal?.status).toBe(415);
    expect(refusal?.message).toMatch(/Content-Type must be application\/json/);
  });

  it.each([
    ['no Accept', undefined],
    ['an empty Accept', ''],
    ['JSON only', 'application/json'],
    ['SSE only', 'text/event-stream'],
    ['HTML', 'text/html'],
    ['a partial wildcard', 'application/*'],
  ])('refuses %s with 406', (_label, accept) => {
    const refusal = checkPostHeaders('application/json', accept);
    expect(refusal?.status).toBe(406);
    expect(refusal?.message).toMatch(/must accept both application\/json and text\/event-stream/);
  });

  it('checks Content-Type before Accept', () => {
    expect(checkPostHeaders('text/plain', undefined)?.status).toBe(415);
  });
});
