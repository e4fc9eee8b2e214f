import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../electron/main/base/logger.ts';
import { createOfflineServices } from '../../../electron/main/services/create-core.ts';
import {
  FileSecretStore,
  SecretUnavailableError,
  type SecretCipher,
} from '../../../electron/main/store/secret-store.ts';

const isWindows = process.platform === 'win32';

describe('FileSecretStore', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-secrets-'));
    file = path.join(dir, 'secrets.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function onDisk(): Record<string, string> {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  }

  it('reads nothing and creates no file before the first write', () => {
    const store = new FileSecretStore(dir);
    expect(store.get('a')).toBeUndefined();
    expect(fs.existsSync(file)).toBe(false);
    store.delete('a');
    store.deletePrefix('a');
  });

  it('sets, gets, overwrites and deletes', () => {
    const store = new FileSecretStore(dir);
    store.set('server:docs:header:authorization', 'Bearer one');
    store.set('other', 'two');
    expect(store.get('server:docs:header:authorization')).toBe('Bearer one');
    expect(store.get('other')).toBe('two');
    store.set('other', 'three');
    expect(store.get('other')).toBe('three');
    store.delete('other');
    expect(store.get('other')).toBeUndefined();
    expect(store.get('server:docs:header:authorization')).toBe('Bearer one');
    store.delete('never-there');
    expect(onDisk()).toEqual({ 'server:docs:header:authorization': 'plain:Bearer one' });
  });

  it('marks values stored without a cipher as plain', () => {
    const store = new FileSecretStore(dir);
    store.set('a', 'value');
    store.set('empty', '');
    store.set('looks-sealed', 'sealed:abc');
    store.set('looks-plain', 'plain:abc');
    expect(onDisk()).toEqual({
      a: 'plain:value',
      empty: 'plain:',
      'looks-sealed': 'plain:sealed:abc',
      'looks-plain': 'plain:plain:abc',
    });
    expect(store.get('a')).toBe('value');
    expect(store.get('empty')).toBe('');
    expect(store.get('looks-sealed')).toBe('sealed:abc');
    expect(store.get('looks-plain')).toBe('plain:abc');
  });

  it('reads an unmarked value (written before values were marked) as plain', () => {
    fs.writeFileSync(file, JSON.stringify({ old: 'Bearer legacy', 'old-empty': '' }));
    const store = new FileSecretStore(dir);
    expect(store.get('old')).toBe('Bearer legacy');
    expect(store.get('old-empty')).toBe('');
    // Writing another key keeps the unmarked value as it was.
    store.set('new', 'x');
    expect(onDisk()).toEqual({ old: 'Bearer legacy', 'old-empty': '', new: 'plain:x' });
  });

  it('keeps values exactly, including unicode, newlines and empty strings', () => {
    const store = new FileSecretStore(dir);
    const values = ['', 'line1\nline2', 'ünïcödé 😀', '"quoted" \\ back', ' spaced '];
    values.forEach((value, i) => store.set(`k${i}`, value));
    values.forEach((value, i) => expect(store.get(`k${i}`)).toBe(value));
  });

  it('persists across instances (another process reads what this one wrote)', () => {
    new FileSecretStore(dir).set('a', '1');
    expect(new FileSecretStore(dir).get('a')).toBe('1');
  });

  it('deletePrefix removes exactly the keys starting with the prefix', () => {
    const store = new FileSecretStore(dir);
    store.set('server:docs:header:a', '1');
    store.set('server:docs:header:b', '2');
    store.set('server:docs:oauth', '3');
    store.set('server:docs2:header:a', '4');
    store.set('server:doc:header:a', '5');
    store.set('xserver:docs:a', '6');
    store.deletePrefix('server:docs:');
    expect(onDisk()).toEqual({
      'server:docs2:header:a': 'plain:4',
      'server:doc:header:a': 'plain:5',
      'xserver:docs:a': 'plain:6',
    });
    store.deletePrefix('');
    expect(onDisk()).toEqual({});
  });

  it.skipIf(isWindows)('writes the file with mode 0600, and keeps it after rewrites', () => {
    const store = new FileSecretStore(dir);
    store.set('a', '1');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    store.set('b', '2');
    store.delete('a');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it.skipIf(isWindows)('replaces a file that was made readable by others with an owner-only one', () => {
    fs.writeFileSync(file, '{}\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    new FileSecretStore(dir).set('a', '1');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('leaves no temp or lock files behind', () => {
    const store = new FileSecretStore(dir);
    for (let i = 0; i < 10; i++) store.set(`k${i}`, String(i));
    store.deletePrefix('k');
    expect(fs.readdirSync(dir)).toEqual(['secrets.json']);
  });

  it('refuses a file that is not a JSON object instead of overwriting it', () => {
    fs.writeFileSync(file, '["not", "an", "object"]');
    const store = new FileSecretStore(dir);
    expect(() => store.get('a')).toThrow(/is not a secrets file/);
    expect(() => store.set('a', '1')).toThrow(/is not a secrets file/);
    expect(fs.readFileSync(file, 'utf8')).toBe('["not", "an", "object"]');
  });

  it('refuses a file that is not JSON instead of overwriting it', () => {
    fs.writeFileSync(file, '{ broken');
    const store = new FileSecretStore(dir);
    expect(() => store.get('a')).toThrow(SyntaxError);
    expect(() => store.set('a', '1')).toThrow();
    expect(fs.readFileSync(file, 'utf8')).toBe('{ broken');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('describes where secrets are kept', () => {
    expect(new FileSecretStore(dir).description).toBe(`${file} (readable by the owner only, not encrypted)`);
  });

  describe('with a cipher', () => {
    // A reversible stand-in for Electron's safeStorage (a dependency of the store, not the store itself).
    const cipher: SecretCipher = {
      encrypt: (plain) => Buffer.from(plain, 'utf8').toString('base64'),
      decrypt: (sealed) => Buffer.from(sealed, 'base64').toString('utf8'),
    };

    it('stores only sealed values and returns the plain ones', () => {
      const store = new FileSecretStore(dir, cipher);
      store.set('k', 'Bearer plain-value');
      expect(store.get('k')).toBe('Bearer plain-value');
      const text = fs.readFileSync(file, 'utf8');
      expect(text).not.toContain('plain-value');
      expect(onDisk().k).toBe('sealed:' + cipher.encrypt('Bearer plain-value'));
      expect(store.description).toMatch(/^encrypted with the operating system's keychain in /);
      expect(new FileSecretStore(dir, cipher).get('k')).toBe('Bearer plain-value');
    });

    it('still reads plain values written by a headless Gatehouse', () => {
      new FileSecretStore(dir).set('k', 'plain');
      expect(onDisk().k).toBe('plain:plain');
      expect(new FileSecretStore(dir, cipher).get('k')).toBe('plain');
    });

    it('reads a headless value that starts with "sealed:" as it is, without decrypting it', () => {
      new FileSecretStore(dir).set('k', 'sealed:not-really');
      const decrypt = (sealed: string): string => {
        throw new Error(`decrypt must not be called (got ${sealed})`);
      };
      expect(new FileSecretStore(dir, { ...cipher, decrypt }).get('k')).toBe('sealed:not-really');
    });

    it('reads an unmarked value (written before values were marked) as plain', () => {
      fs.writeFileSync(file, JSON.stringify({ old: 'Bearer legacy' }));
      expect(new FileSecretStore(dir, cipher).get('old')).toBe('Bearer legacy');
    });

    it('seals a value that starts with "plain:" and reads it back exactly', () => {
      const store = new FileSecretStore(dir, cipher);
      store.set('k', 'plain:abc');
      expect(onDisk().k).toBe('sealed:' + cipher.encrypt('plain:abc'));
      expect(store.get('k')).toBe('plain:abc');
    });

    it('without the cipher, refuses a sealed value instead of returning ciphertext', () => {
      new FileSecretStore(dir, cipher).set('k', 'v');
      const headless = new FileSecretStore(dir);
      expect(() => headless.get('k')).toThrow(SecretUnavailableError);
      expect(() => headless.get('k')).toThrow(/cannot be read headless/);
      // Other secrets stay readable, and the sealed one can be replaced.
      headless.set('other', 'x');
      expect(headless.get('other')).toBe('x');
      headless.set('k', 'new');
      expect(headless.get('k')).toBe('new');
    });

    // Fixed: headless values are marked "plain:", so one that starts with "sealed:" is not taken for an
    // encrypted one.
    it('reads back a plain value that starts with "sealed:"', () => {
      const store = new FileSecretStore(dir);
      store.set('k', 'sealed:not-really');
      expect(store.get('k')).toBe('sealed:not-really');
      expect(new FileSecretStore(dir).get('k')).toBe('sealed:not-really');
    });
  });
});

describe('secrets and settings.json', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-secrets-settings-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('header values of a server go to secrets.json, never to settings.json', async () => {
    const secretValue = 'Bearer sk-live-VERY-SECRET-123';
    const offline = createOfflineServices({ dataDir: dir, logger: nullLogger });
    try {
      await offline.services['servers.add']({
        name: 'docs',
        url: 'https://example.com/mcp',
        headers: { Authorization: secretValue, 'X-Api-Key': 'key-SECRET-456' },
        trusted: true,
        allowInsecureHttp: false,
      });
      await offline.services['settings.set']({ key: 'gateway.port', value: 8000 });
    } finally {
      offline.dispose();
    }
    const settingsText = fs.readFileSync(path.join(dir, 'settings.json'), 'utf8');
    expect(settingsText).not.toContain('VERY-SECRET');
    expect(settingsText).not.toContain('SECRET-456');
    expect(settingsText).toContain('"Authorization"');
    const secrets = new FileSecretStore(dir);
    expect(secrets.get('server:docs:header:authorization')).toBe(secretValue);
    expect(secrets.get('server:docs:header:x-api-key')).toBe('key-SECRET-456');
  });
});
