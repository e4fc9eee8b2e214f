import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_ARG_BYTES,
  REDACTED,
  isSecretKey,
  redactArguments,
  redactString,
} from '../../../electron/main/audit/redact.ts';

/** Credentials in the shapes the redaction must catch; none may survive anywhere in the output. */
const CANARIES: Record<string, string> = {
  bearer: 'Bearer canaryBearerTok3n.abc-def',
  basic: `Basic ${Buffer.from('alice:canaryBasicPw').toString('base64')}`,
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlQ2FuYXJ5',
  openai: 'sk-canaryOpenAiKey0123456789abcdef',
  anthropic: 'sk-ant-api03-canaryAnthropicKey0123456789',
  stripe: 'sk_live_canaryStripeKey0123456789',
  githubPat: 'ghp_canaryGithubToken0123456789abcdefABCD',
  githubOauth: 'gho_canaryGithubOauth0123456789abcdefABCD',
  githubFine: 'github_pat_11CANARY0123456789_abcdefghijklmnopqrstuvwxyz',
  slack: 'xoxb-1234567890-canarySlackToken',
  slackUser: 'xoxp-1234567890-canarySlackUser',
  aws: 'AKIACANARY0123456789',
  google: 'AIzaSyCanaryGoogleKey0123456789abcdefghi',
  gatehouse: 'ghc_canaryGatehouseClientToken0123456789abcdefgh',
  pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIcanaryPemBody0123456789\nmoreCanaryPem==\n-----END RSA PRIVATE KEY-----',
  pemUnterminated: '-----BEGIN PRIVATE KEY-----\nMIIcanaryUnterminatedPem0123',
};

/** The part of each canary that must not appear in the output. */
function secretPart(name: string, canary: string): string {
  if (name === 'bearer') return 'canaryBearerTok3n';
  if (name === 'basic') return canary.slice('Basic '.length);
  if (name.startsWith('pem')) return 'MIIcanary';
  return canary.slice(4);
}

function expectNoCanary(output: unknown): void {
  const text = JSON.stringify(output);
  for (const [name, canary] of Object.entries(CANARIES)) {
    expect(text, name).not.toContain(secretPart(name, canary));
  }
}

describe('redactString', () => {
  it.each(Object.entries(CANARIES))('removes a %s credential on its own and inside text', (name, canary) => {
    expect(redactString(canary)).toContain(REDACTED);
    expect(redactString(canary)).not.toContain(secretPart(name, canary));
    const embedded = redactString(`curl -H "X: ${canary}" https://example.com/path and more words`);
    expect(embedded).not.toContain(secretPart(name, canary));
    // An unterminated private key block is dropped to the end of the text: where it ends is unknown.
    if (name !== 'pemUnterminated') expect(embedded).toContain('https://example.com/path and more words');
  });

  it('removes passwords in URLs, query strings and key=value text, keeping the rest', () => {
    expect(redactString('https://bob:hunter2pw@db.example.com/x')).toBe(
      `https://bob:${REDACTED}@db.example.com/x`,
    );
    expect(redactString('GET /cb?state=ok&access_token=abc123canary&x=1')).toBe(
      `GET /cb?state=ok&access_token=${REDACTED}&x=1`,
    );
    const embeddedJson = redactString('{"user":"bob","password":"hunter2canary","api_key": "k-canary"}');
    expect(embeddedJson).not.toMatch(/hunter2canary|k-canary/);
    expect(embeddedJson).toContain('"user":"bob"');
    expect(redactString('export SECRET=topsecretcanary; run')).not.toContain('topsecretcanary');
  });

  it('leaves ordinary prose alone', () => {
    const prose = 'Basic information about the skeleton: ask-me-anything, author Jane, 42 tokens.';
    expect(redactString(prose)).toBe(prose);
  });
});

describe('isSecretKey', () => {
  it('matches secret-looking keys by substring, in any case', () => {
    for (const key of [
      'password',
      'DB_PASSWD',
      'clientSecret',
      'access_token',
      'Authorization',
      'x-auth',
      'api_key',
      'apiKey',
      'API-KEY',
      'Cookie',
      'sessionId',
      'private_key',
      'credentials',
    ]) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of ['path', 'query', 'author', 'authored_by', 'name', 'content', 'url']) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });
});

describe('redactArguments', () => {
  it('replaces values under secret keys at any depth, and keeps everything else', () => {
    const input = {
      path: '/etc/hosts',
      password: 'hunter2canary',
      nested: { deeper: [{ Authorization: 'whatever-canary' }, { token: { anything: 'inside-canary' } }] },
      headers: { Cookie: 'sid=cookie-canary', Accept: 'application/json' },
      count: 3,
      flag: true,
      nothing: null,
    };
    const output = redactArguments(input);
    expect(output).toEqual({
      path: '/etc/hosts',
      password: REDACTED,
      nested: { deeper: [{ Authorization: REDACTED }, { token: REDACTED }] },
      headers: { Cookie: REDACTED, Accept: 'application/json' },
      count: 3,
      flag: true,
      nothing: null,
    });
    expect(JSON.stringify(output)).not.toMatch(/canary/);
  });

  it('catches every canary wherever it hides: values, arrays, keys, embedded JSON', () => {
    const values = Object.values(CANARIES);
    const input = {
      plain: values,
      notes: values.map((v) => `see ${v} here`),
      embedded: JSON.stringify({ header: values.join(' ') }),
      keyed: Object.fromEntries(values.map((v, i) => [`${v}`, i])),
      deep: { a: { b: { c: [[values.join('\n')]] } } },
    };
    const output = redactArguments(input, 1_000_000);
    expectNoCanary(output);
    expect((output as { keyed: Record<string, unknown> }).keyed).toBeDefined();
  });

  it('redacts numbers under secret keys but keeps token counts, booleans and null', () => {
    expect(
      redactArguments({
        pin_password: 123456,
        max_tokens: 1024,
        token_count: 7,
        use_token: true,
        secret: null,
      }),
    ).toEqual({ pin_password: REDACTED, max_tokens: 1024, token_count: 7, use_token: true, secret: null });
  });

  it('is pure: the input is not changed', () => {
    const input = { password: 'x', list: ['Bearer abcdefghijkl'] };
    const copy = structuredClone(input);
    redactArguments(input);
    expect(input).toEqual(copy);
  });

  it('turns non-JSON values into JSON and survives cycles and depth', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200; i++) deep = { d: deep };
    const output = redactArguments({
      big: 10n,
      when: new Date(0),
      gone: undefined,
      fn: () => 1,
      nan: Number.NaN,
      list: [undefined, 1],
      cyclic,
      deep,
    });
    expect(output).toMatchObject({
      big: '10',
      when: '1970-01-01T00:00:00.000Z',
      nan: null,
      list: [null, 1],
      cyclic: { a: 1, self: '[circular]' },
    });
    expect(output).not.toHaveProperty('gone');
    expect(JSON.stringify(output)).toContain('[too deep]');
    expect(redactArguments(undefined)).toBeNull();
    expect(redactArguments('Bearer abcdefghijkl')).toBe(REDACTED);
  });

  it('cuts long strings with a marker when the JSON is too big', () => {
    const long = 'a'.repeat(100_000);
    const output = redactArguments({ content: long, path: '/tmp/x' }) as Record<string, string>;
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThanOrEqual(DEFAULT_MAX_ARG_BYTES);
    expect(output.path).toBe('/tmp/x');
    expect(output.content).toMatch(/^a+…\[truncated \d+ bytes\]$/);
    const kept = output.content!.indexOf('…');
    expect(output.content).toContain(`[truncated ${100_000 - kept} bytes]`);
    expect(output).not.toHaveProperty('_gatehouseTruncated');
  });

  it('never splits a multi-byte character or leaks a secret past the cut', () => {
    const output = redactArguments({ text: '😀'.repeat(20_000) + ` ${CANARIES.githubPat}` }, 1000) as {
      text: string;
    };
    expect(output.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThanOrEqual(1000);
    expectNoCanary(output);
  });

  it('replaces a value that is too big even with cut strings by a marked summary', () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, `v${i}`]));
    many.secret = 'summary-canary';
    many.note = CANARIES.openai!;
    const output = redactArguments(many, 2048) as Record<string, unknown>;
    expect(output._gatehouseTruncated).toBe(true);
    expect(output.type).toBe('object');
    expect(output.originalBytes).toBeGreaterThan(2048);
    expect(output.keys).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`));
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThanOrEqual(2048);
    expect(JSON.stringify(output)).not.toContain('summary-canary');
    expectNoCanary(output);
    const array = redactArguments(
      Array.from({ length: 5000 }, (_, i) => i),
      512,
    ) as Record<string, unknown>;
    expect(array).toMatchObject({ _gatehouseTruncated: true, type: 'array', length: 5000 });
  });

  it('leaves small arguments exactly as they were', () => {
    const input = { query: 'select 1', limit: 10, tags: ['a', 'b'], opts: { dry: false } };
    expect(redactArguments(input)).toEqual(input);
  });
});
