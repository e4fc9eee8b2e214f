import { describe, expect, it } from 'vitest';
import { createLogger, nullLogger, redactForLog } from '../../../electron/main/base/logger.ts';
import { newClientToken } from '../../../electron/main/store/client-tokens.ts';

const TOKEN = 'ghc_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v';
const SECRET = 's3cr3t-Value_xyz';

/** Everything the redacted value would put in a log line. */
function logged(value: unknown): string {
  return JSON.stringify(redactForLog(value));
}

describe('redactForLog on strings', () => {
  it.each([
    ['a Bearer token', `Authorization: Bearer ${SECRET}`, 'Authorization: Bearer [redacted]'],
    ['a lower-case bearer token', `bearer ${SECRET}`, 'bearer [redacted]'],
    ['a Basic credential', 'Basic dXNlcjpwYXNzd29yZA==', 'Basic [redacted]'],
    [
      'several tokens',
      `Bearer ${SECRET} then Bearer other.token`,
      'Bearer [redacted] then Bearer [redacted]',
    ],
    ['a bearer with several spaces', `Bearer    ${SECRET}`, 'Bearer [redacted]'],
    ['a client token on its own', `token ${TOKEN} was refused`, 'token [redacted] was refused'],
    ['a client token in a URL', `http://x/mcp?t=${TOKEN}`, 'http://x/mcp?t=[redacted]'],
    ['a gha_ token', `gha_${'x'.repeat(30)}`, '[redacted]'],
  ])('removes %s', (_label, input, expected) => {
    expect(redactForLog(input)).toBe(expected);
  });

  it('removes a freshly made client token', () => {
    const token = newClientToken();
    const out = redactForLog(`client sent ${token}`) as string;
    expect(out).not.toContain(token);
    expect(out).not.toContain(token.slice(4));
  });

  it.each(['nothing secret here', 'ghc_short', 'tools/call took 12 ms', 'Bearer', ''])(
    'leaves %j alone',
    (input) => {
      expect(redactForLog(input)).toBe(input);
    },
  );

  it('errs on the safe side for prose that reads like a credential', () => {
    expect(redactForLog('the Bearer of bad news')).toBe('the Bearer [redacted] bad news');
  });

  it('keeps using the regex correctly across calls (no lastIndex leaks)', () => {
    for (let i = 0; i < 5; i++) expect(redactForLog(`Bearer ${SECRET}`)).toBe('Bearer [redacted]');
  });
});

describe('redactForLog on secrets in query strings', () => {
  it.each([
    [
      'access_token',
      `https://x.example/mcp?access_token=${SECRET}`,
      'https://x.example/mcp?access_token=[redacted]',
    ],
    ['token', `GET /mcp/docs?token=${SECRET} 401`, 'GET /mcp/docs?token=[redacted] 401'],
    ['token after another parameter', `/cb?a=1&token=${SECRET}&b=2`, '/cb?a=1&token=[redacted]&b=2'],
    ['api_key', `https://x.example/v1?api_key=${SECRET}`, 'https://x.example/v1?api_key=[redacted]'],
    ['apikey', `https://x.example/v1?apikey=${SECRET}`, 'https://x.example/v1?apikey=[redacted]'],
    ['key', `https://maps.example/api?key=${SECRET}&q=x`, 'https://maps.example/api?key=[redacted]&q=x'],
    [
      'code',
      `http://127.0.0.1:7337/oauth/callback?code=${SECRET}&state=abc`,
      'http://127.0.0.1:7337/oauth/callback?code=[redacted]&state=abc',
    ],
    [
      'client_secret',
      `/token?client_id=app&client_secret=${SECRET}`,
      '/token?client_id=app&client_secret=[redacted]',
    ],
    ['a parameter name in upper case', `/x?ACCESS_TOKEN=${SECRET}`, '/x?ACCESS_TOKEN=[redacted]'],
    ['a value ended by a fragment', `/x?token=${SECRET}#frag`, '/x?token=[redacted]#frag'],
    ['a value ended by a quote', `url "/x?code=${SECRET}" refused`, 'url "/x?code=[redacted]" refused'],
    [
      'several secrets in one string',
      `/a?token=${SECRET} then /b?key=${SECRET}&code=${SECRET}`,
      '/a?token=[redacted] then /b?key=[redacted]&code=[redacted]',
    ],
  ])('removes the value of %s', (_label, input, expected) => {
    expect(redactForLog(input)).toBe(expected);
    expect(logged({ url: input })).not.toContain(SECRET);
  });

  it('removes a query secret inside an Error message and an object field', () => {
    expect(redactForLog(new Error(`fetch failed: /x?access_token=${SECRET}`))).toBe(
      'fetch failed: /x?access_token=[redacted]',
    );
    expect(redactForLog({ url: `/x?client_secret=${SECRET}` })).toEqual({
      url: '/x?client_secret=[redacted]',
    });
  });

  it.each([
    ['other parameters', '/search?q=hello&page=2'],
    ['a name that only ends like a secret one', '/x?monkey=banana&xcode=1&mytoken=2'],
    ['a secret name outside a query', 'set key=value in the config'],
    ['an empty value', '/x?token=&a=1'],
    ['a name without a value', '/x?token'],
  ])('leaves %s alone', (_label, input) => {
    expect(redactForLog(input)).toBe(input);
  });
});

describe('redactForLog on objects', () => {
  it.each([
    'authorization',
    'Authorization',
    'proxy-authorization',
    'token',
    'accessToken',
    'refresh_token',
    'tokenHash',
    'secret',
    'clientSecret',
    'client_secret',
    'password',
    'PASSWORD',
    'passwd',
    'api_key',
    'api-key',
    'apiKey',
    'x-api-key',
    'cookie',
    'set-cookie',
    'Cookie',
    'credential',
    'credentials',
    'private_key',
    'privateKey',
    'private-key',
    'PRIVATE_KEY',
    'sshPrivateKey',
  ])('redacts the value under %j', (key) => {
    expect(redactForLog({ [key]: SECRET, other: 'kept' })).toEqual({ [key]: '[redacted]', other: 'kept' });
  });

  it('redacts a private key held in an object, also nested', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';
    const input = {
      jwk: { kty: 'RSA', privateKey: { d: 'secret-d' } },
      private_key: pem,
      publicKey: 'shown',
    };
    expect(redactForLog(input)).toEqual({
      jwk: { kty: 'RSA', privateKey: '[redacted]' },
      private_key: '[redacted]',
      publicKey: 'shown',
    });
    expect(logged(input)).not.toContain('MIIEvQIBADANBg');
    expect(logged(input)).not.toContain('secret-d');
  });

  it('redacts a secret-looking key whatever its value type', () => {
    expect(redactForLog({ password: 1234, cookie: ['a', 'b'], secret: { nested: 'x' } })).toEqual({
      password: '[redacted]',
      cookie: '[redacted]',
      secret: '[redacted]',
    });
  });

  it('keeps ordinary fields and non-string values', () => {
    const input = {
      server: 'docs',
      status: 401,
      ok: false,
      none: null,
      list: [1, 'two'],
      nothing: undefined,
    };
    expect(redactForLog(input)).toEqual(input);
  });

  it('redacts at depth, in objects and arrays', () => {
    const input = {
      request: {
        headers: { authorization: `Bearer ${SECRET}`, accept: 'application/json' },
        upstream: [{ name: 'a', config: { api_key: SECRET } }],
      },
      note: `used Bearer ${SECRET}`,
      list: [`Bearer ${SECRET}`, TOKEN],
    };
    const out = redactForLog(input);
    expect(out).toEqual({
      request: {
        headers: { authorization: '[redacted]', accept: 'application/json' },
        upstream: [{ name: 'a', config: { api_key: '[redacted]' } }],
      },
      note: 'used Bearer [redacted]',
      list: ['Bearer [redacted]', '[redacted]'],
    });
    expect(logged(input)).not.toContain(SECRET);
    expect(logged(input)).not.toContain(TOKEN);
  });

  it('never lets a secret through however deep it is nested', () => {
    for (let depth = 1; depth <= 12; depth++) {
      let value: unknown = { password: SECRET, text: `Bearer ${SECRET}`, token: TOKEN };
      for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { level: value };
      const out = logged(value);
      expect(out, `depth ${depth}`).not.toContain(SECRET);
      expect(out, `depth ${depth}`).not.toContain(TOKEN);
    }
  });

  it('replaces an object nested too deep to walk with a marker instead of logging it as it is', () => {
    // Five levels are walked; the object at the sixth is not looked into, so it may not be logged.
    const input = { a: { b: { c: { d: { e: { f: { plain: 'x' } } } } } } };
    expect(redactForLog(input)).toEqual({ a: { b: { c: { d: { e: '[too deep]' } } } } });
    expect(redactForLog([[[[[[1]]]]]])).toEqual([[[[['[too deep]']]]]]);
    // Plain values at that depth are still logged (strings redacted).
    expect(redactForLog({ a: { b: { c: { d: { e: `Bearer ${SECRET}`, n: 1 } } } } })).toEqual({
      a: { b: { c: { d: { e: 'Bearer [redacted]', n: 1 } } } },
    });
  });

  it('does not change its input', () => {
    const input = { authorization: SECRET, nested: { text: `Bearer ${SECRET}` } };
    redactForLog(input);
    expect(input).toEqual({ authorization: SECRET, nested: { text: `Bearer ${SECRET}` } });
  });

  it('logs an Error as its redacted message', () => {
    expect(redactForLog(new Error(`upstream said Bearer ${SECRET}`))).toBe('upstream said Bearer [redacted]');
    expect(redactForLog({ error: new Error(`bad ${TOKEN}`) })).toEqual({ error: 'bad [redacted]' });
  });
});

describe('createLogger', () => {
  function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
    const lines: string[] = [];
    const logger = createLogger({ sink: { write: (line) => lines.push(line) }, ...(level ? { level } : {}) });
    return { lines, logger };
  }

  it('writes time, level, scope, message and JSON fields', () => {
    const { lines, logger } = capture();
    logger.info('started', { port: 7337 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info {2}\[gatehouse\] started \{"port":7337\}$/,
    );
  });

  it('drops messages below the level (info by default)', () => {
    const { lines, logger } = capture();
    logger.debug('hidden');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((l) => l.slice(l.indexOf(' ') + 1))).toEqual([
      'info  [gatehouse] i',
      'warn  [gatehouse] w',
      'error [gatehouse] e',
    ]);
    const errorsOnly = capture('error');
    errorsOnly.logger.warn('w');
    errorsOnly.logger.error('e');
    expect(errorsOnly.lines).toHaveLength(1);
    const all = capture('debug');
    all.logger.debug('d');
    expect(all.lines).toHaveLength(1);
  });

  it('nests scopes for child loggers', () => {
    const { lines, logger } = capture();
    logger.child('gateway').child('session').warn('x');
    expect(lines[0]).toContain(' [gatehouse:gateway:session] x');
  });

  it('redacts the message and the fields', () => {
    const { lines, logger } = capture();
    logger.error(`refused Bearer ${SECRET}`, {
      headers: { Authorization: `Bearer ${SECRET}` },
      deep: { a: { b: { c: { d: { e: { f: { password: SECRET } } } } } } },
      token: TOKEN,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(SECRET);
    expect(lines[0]).not.toContain(TOKEN);
    expect(lines[0]).toContain('refused Bearer [redacted]');
  });

  it('does not throw on a field that refers to itself', () => {
    const { lines, logger } = capture();
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(() => logger.info('cyclic', { cyclic })).not.toThrow();
    expect(lines).toHaveLength(1);
  });
});

describe('nullLogger', () => {
  it('accepts every call and hands out itself as child', () => {
    expect(() => {
      nullLogger.debug('a');
      nullLogger.info('b', { x: 1 });
      nullLogger.warn('c');
      nullLogger.error('d');
    }).not.toThrow();
    expect(nullLogger.child('x')).toBe(nullLogger);
  });
});
