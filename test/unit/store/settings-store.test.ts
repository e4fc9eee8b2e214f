import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nullLogger } from '../../../electron/main/base/logger.ts';
import {
  describeZodError,
  SettingsError,
  SettingsStore,
  type SettingsStoreOptions,
} from '../../../electron/main/store/settings-store.ts';
import {
  preferenceKeys,
  preferencesSchema,
  readPreference,
  settingsSchema,
  writePreference,
  type Settings,
} from '../../../shared/schemas/settings.ts';
import { waitFor } from '../../helpers/wait.ts';

/** Derived from the schema, so a new settings section with defaults does not break every test here. */
const DEFAULTS: Settings = settingsSchema.parse({});

/** What a newer Gatehouse's file is refused with (never moved aside, never overwritten). */
const NEWER = /it was written by a newer Gatehouse \(schema version \d+\); update Gatehouse$/;

describe('SettingsStore', () => {
  let dir: string;
  let file: string;
  const stores: SettingsStore[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-settings-'));
    file = path.join(dir, 'settings.json');
  });
  afterEach(() => {
    for (const store of stores.splice(0)) store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function open(options: Partial<SettingsStoreOptions> = {}): SettingsStore {
    const store = new SettingsStore({ dataDir: dir, logger: nullLogger, ...options });
    stores.push(store);
    return store;
  }

  function onDisk(): Record<string, unknown> {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  }

  function asideFiles(): string[] {
    return fs.readdirSync(dir).filter((name) => name.startsWith('settings.json.corrupt-'));
  }

  describe('defaults', () => {
    it('starts from the schema defaults in an empty folder', () => {
      const store = open();
      expect(store.current).toEqual(DEFAULTS);
      expect(store.problem).toBeUndefined();
      expect(store.path).toBe(file);
    });

    it('fills in missing sections of a partial file', () => {
      fs.writeFileSync(file, JSON.stringify({ gateway: { port: 9000 } }));
      expect(open().current).toEqual({ ...DEFAULTS, gateway: { port: 9000 } });
    });

    it('has the documented default for every section', () => {
      // toMatchObject, not toEqual: sections added later must not break this test, but the ones
      // listed here must keep these exact values.
      expect(DEFAULTS).toMatchObject({
        schemaVersion: 1,
        gateway: { port: 7337 },
        sessions: { idleMinutes: 30 },
        upstream: { timeoutSeconds: 120, connectTimeoutSeconds: 10, maxMessageMiB: 32 },
        policy: { defaults: { read: 'allow', write: 'ask', destructive: 'ask', unknown: 'ask' } },
        approvals: { timeoutSeconds: 120 },
        audit: { retentionDays: 90, durable: false },
        servers: [],
        clients: [],
        rules: [],
      });
      expect(DEFAULTS.policy.defaults).toEqual({
        read: 'allow',
        write: 'ask',
        destructive: 'ask',
        unknown: 'ask',
      });
      expect(DEFAULTS.audit).toEqual({ retentionDays: 90, durable: false });
      // Writes are not paused unless someone pauses them.
      expect(DEFAULTS).not.toHaveProperty('pause');
    });

    it('gives every parse its own copy of the defaults', () => {
      const a = settingsSchema.parse({});
      const b = settingsSchema.parse({});
      expect(a).toEqual(b);
      expect(a.policy.defaults).not.toBe(b.policy.defaults);
      expect(a.rules).not.toBe(b.rules);
    });

    it('fills in the new sections of a file written before they existed', () => {
      fs.writeFileSync(
        file,
        JSON.stringify({
          schemaVersion: 1,
          gateway: { port: 9100 },
          sessions: { idleMinutes: 30 },
          upstream: { timeoutSeconds: 120, connectTimeoutSeconds: 10, maxMessageMiB: 32 },
          servers: [],
          clients: [],
        }),
      );
      const store = open();
      expect(store.current).toEqual({ ...DEFAULTS, gateway: { port: 9100 } });
      expect(store.problem).toBeUndefined();
    });

    it('fills in the missing fields of a partial new section', () => {
      fs.writeFileSync(
        file,
        JSON.stringify({ policy: { defaults: { write: 'deny' } }, audit: { durable: true } }),
      );
      const current = open().current;
      expect(current.policy.defaults).toEqual({
        read: 'allow',
        write: 'deny',
        destructive: 'ask',
        unknown: 'ask',
      });
      expect(current.audit).toEqual({ retentionDays: 90, durable: true });
      expect(current.approvals).toEqual(DEFAULTS.approvals);
    });
  });

  describe('update', () => {
    it('validates, writes the file, updates current and fires onDidChange', () => {
      const store = open();
      const seen: Settings[] = [];
      store.onDidChange((s) => seen.push(s));
      const result = store.update((draft) => {
        draft.gateway.port = 8123;
      });
      expect(result.gateway.port).toBe(8123);
      expect(store.current.gateway.port).toBe(8123);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.gateway.port).toBe(8123);
      expect(onDisk()).toMatchObject({ schemaVersion: 1, gateway: { port: 8123 } });
      expect(fs.readFileSync(file, 'utf8')).toMatch(/^\{\n {2}"/);
      if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      // A new instance (another process) reads the same.
      expect(open().current.gateway.port).toBe(8123);
    });

    it('hands the mutator a copy, not the current settings', () => {
      const store = open();
      const before = store.current;
      store.update((draft) => {
        expect(draft).not.toBe(before);
        draft.sessions.idleMinutes = 5;
      });
      expect(before.sessions.idleMinutes).toBe(30);
    });

    it('starts from a fresh read of the file, keeping changes made by another process', () => {
      const mine = open();
      const theirs = open();
      theirs.update((draft) => {
        draft.gateway.port = 9001;
      });
      // `mine` has not seen the change (no watcher), but its update must not undo it.
      expect(mine.current.gateway.port).toBe(7337);
      mine.update((draft) => {
        draft.sessions.idleMinutes = 15;
      });
      expect(onDisk()).toMatchObject({ gateway: { port: 9001 }, sessions: { idleMinutes: 15 } });
      expect(mine.current.gateway.port).toBe(9001);
    });

    it.each<[string, (draft: Settings) => void, RegExp]>([
      [
        'a port above 65535',
        (d) => {
          d.gateway.port = 70000;
        },
        /^gateway\.port: .*65535/,
      ],
      [
        'a negative port',
        (d) => {
          d.gateway.port = -1;
        },
        /^gateway\.port:/,
      ],
      [
        'a fractional port',
        (d) => {
          d.gateway.port = 80.5;
        },
        /^gateway\.port:/,
      ],
      [
        'a string port',
        (d) => {
          (d.gateway as Record<string, unknown>).port = 'abc';
        },
        /^gateway\.port: .*expected number/,
      ],
      [
        'a zero timeout',
        (d) => {
          d.upstream.timeoutSeconds = 0;
        },
        /^upstream\.timeoutSeconds:/,
      ],
      [
        'a bad server name',
        (d) => {
          d.servers.push({
            name: 'Bad Name',
            url: 'https://example.com/mcp',
            enabled: true,
            trusted: true,
            headerNames: [],
            allowInsecureHttp: false,
            onToolChange: 'hold',
            auth: { scopes: [], authParams: {}, allowMissingS256: false },
            createdAt: new Date().toISOString(),
          });
        },
        /^servers\.0\.name:/,
      ],
      [
        'a client with a malformed hash',
        (d) => {
          d.clients.push({ name: 'c', tokenHash: 'not-hex', createdAt: new Date().toISOString() });
        },
        /^clients\.0\.tokenHash:/,
      ],
    ])('refuses %s, throws SettingsError and writes nothing', (_label, mutate, message) => {
      const store = open();
      store.update((draft) => {
        draft.gateway.port = 8000;
      });
      const bytes = fs.readFileSync(file);
      const mtime = fs.statSync(file).mtimeMs;
      let fired = 0;
      store.onDidChange(() => fired++);

      let error: unknown;
      try {
        store.update(mutate);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as Error).message).toMatch(message);
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
      expect(fs.statSync(file).mtimeMs).toBe(mtime);
      expect(store.current.gateway.port).toBe(8000);
      expect(fired).toBe(0);
      expect(fs.readdirSync(dir).sort()).toEqual(['settings.json']);
    });

    it('creates no file when the very first update is refused', () => {
      const store = open();
      expect(() =>
        store.update((draft) => {
          draft.gateway.port = 70000;
        }),
      ).toThrow(SettingsError);
      expect(fs.existsSync(file)).toBe(false);
      expect(store.current).toEqual(DEFAULTS);
    });

    it('writes nothing when the mutator throws', () => {
      const store = open();
      expect(() =>
        store.update(() => {
          throw new Error('changed my mind');
        }),
      ).toThrow('changed my mind');
      expect(fs.existsSync(file)).toBe(false);
      expect(fs.existsSync(`${file}.lock`)).toBe(false);
    });

    it('keeps a file that became unreadable aside and writes from the last good state', () => {
      const store = open();
      store.update((draft) => {
        draft.gateway.port = 8001;
      });
      fs.writeFileSync(file, '{ garbage');
      store.update((draft) => {
        draft.sessions.idleMinutes = 10;
      });
      expect(onDisk()).toMatchObject({ gateway: { port: 8001 }, sessions: { idleMinutes: 10 } });
      const aside = asideFiles();
      expect(aside).toHaveLength(1);
      expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe('{ garbage');
      expect(store.problem).toContain(aside[0]);
    });

    it.each([
      ['an array', '[]'],
      ['null', 'null'],
      ['a number', '42'],
      ['a string', '"x"'],
    ])('keeps a file that became %s aside and writes from the last good state', (_label, text) => {
      const store = open();
      store.update((draft) => {
        draft.gateway.port = 8003;
      });
      fs.writeFileSync(file, text);
      store.update((draft) => {
        draft.sessions.idleMinutes = 11;
      });
      expect(onDisk()).toMatchObject({ gateway: { port: 8003 }, sessions: { idleMinutes: 11 } });
      const aside = asideFiles();
      expect(aside).toHaveLength(1);
      expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe(text);
      expect(store.problem).toBe(
        `settings.json was unreadable (it does not hold a settings object); it was kept as ${path.join(dir, aside[0]!)}`,
      );
    });
  });

  describe('a corrupt file at open', () => {
    it.each([
      ['not JSON', '{ "gateway": { "port": 80 '],
      ['JSON that fails the schema', JSON.stringify({ gateway: { port: 70000 } }, null, 2)],
      ['a wrong type', JSON.stringify({ servers: 'none' })],
      ['an array', '[]'],
      ['null', 'null'],
      ['a number', '42'],
      ['a string', '"x"'],
    ])(
      'with keep-aside: %s is moved aside with its bytes and the store starts from defaults',
      (_label, text) => {
        fs.writeFileSync(file, text);
        const store = open({ onCorrupt: 'keep-aside' });
        expect(store.current).toEqual(DEFAULTS);
        const aside = asideFiles();
        expect(aside).toHaveLength(1);
        expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe(text);
        expect(fs.existsSync(file)).toBe(false);
        expect(store.problem).toMatch(/^settings\.json could not be read \(.+\); it was kept as /);
        expect(store.problem).toContain(path.join(dir, aside[0]!));
        expect(store.problem).toContain('started with default settings');

        // The store is usable: the next update writes a fresh, valid file and leaves the aside copy alone.
        store.update((draft) => {
          draft.gateway.port = 8002;
        });
        expect(onDisk()).toMatchObject({ gateway: { port: 8002 } });
        expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe(text);
      },
    );

    it.each([
      ['not JSON', '{ "gateway": { "port": 80 '],
      ['JSON that fails the schema', JSON.stringify({ gateway: { port: 70000 } })],
      ['an array', '[]'],
      ['null', 'null'],
      ['a number', '42'],
      ['a string', '"x"'],
      ['an array of settings', JSON.stringify([{ gateway: { port: 9000 } }])],
    ])('with fail (the default): %s throws SettingsError and leaves the file untouched', (_label, text) => {
      fs.writeFileSync(file, text);
      const mtime = fs.statSync(file).mtimeMs;
      for (const options of [{}, { onCorrupt: 'fail' as const }]) {
        let error: unknown;
        try {
          open(options);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(SettingsError);
        expect((error as Error).message).toContain(`${file} cannot be used`);
      }
      expect(fs.readFileSync(file, 'utf8')).toBe(text);
      expect(fs.statSync(file).mtimeMs).toBe(mtime);
      expect(fs.readdirSync(dir)).toEqual(['settings.json']);
    });

    it('names the schema problem', () => {
      fs.writeFileSync(file, JSON.stringify({ gateway: { port: 70000 } }));
      expect(() => open()).toThrow(/gateway\.port: Too big/);
    });

    it.each([
      ['an array', '[]'],
      ['null', 'null'],
      ['a number', '42'],
      ['a string', '"x"'],
    ])('says that %s is not a settings object', (_label, text) => {
      fs.writeFileSync(file, text);
      expect(() => open()).toThrow(
        new SettingsError(`${file} cannot be used: it does not hold a settings object`),
      );
      const store = open({ onCorrupt: 'keep-aside' });
      expect(store.problem).toMatch(
        /^settings\.json could not be read \(it does not hold a settings object\); it was kept as /,
      );
      expect(store.current).toEqual(DEFAULTS);
    });
  });

  describe('schema version', () => {
    it('refuses a file written by a newer Gatehouse', () => {
      const text = JSON.stringify({ ...DEFAULTS, schemaVersion: 2 });
      fs.writeFileSync(file, text);
      expect(() => open()).toThrow(SettingsError);
      expect(() => open()).toThrow(
        new SettingsError(
          `${file} cannot be used: it was written by a newer Gatehouse (schema version 2); update Gatehouse`,
        ),
      );
      expect(fs.readFileSync(file, 'utf8')).toBe(text);
      expect(fs.readdirSync(dir)).toEqual(['settings.json']);
    });

    it.each([
      ['keep-aside', { onCorrupt: 'keep-aside' as const }],
      ['fail', { onCorrupt: 'fail' as const }],
      ['the default', {}],
    ])('with %s, refuses a newer file and never moves it aside', (_label, options) => {
      // A newer file is not corrupt: keeping it aside would hide the person's settings after a downgrade.
      const text = JSON.stringify({ ...DEFAULTS, schemaVersion: 99, gateway: { port: 9999 } });
      fs.writeFileSync(file, text);
      const mtime = fs.statSync(file).mtimeMs;
      let error: unknown;
      try {
        open({ ...options, watch: true });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as Error).message).toBe(
        `${file} cannot be used: it was written by a newer Gatehouse (schema version 99); update Gatehouse`,
      );
      expect(asideFiles()).toEqual([]);
      expect(fs.readdirSync(dir)).toEqual(['settings.json']);
      expect(fs.readFileSync(file, 'utf8')).toBe(text);
      expect(fs.statSync(file).mtimeMs).toBe(mtime);
    });

    it('refuses to update a file that a newer Gatehouse wrote after open, changing nothing', () => {
      const store = open({ onCorrupt: 'keep-aside' });
      store.update((draft) => {
        draft.gateway.port = 8100;
      });
      const text = JSON.stringify({ ...DEFAULTS, schemaVersion: 3, gateway: { port: 9999 } });
      fs.writeFileSync(file, text);
      let fired = 0;
      store.onDidChange(() => fired++);
      let mutated = false;

      let error: unknown;
      try {
        store.update((draft) => {
          mutated = true;
          draft.sessions.idleMinutes = 5;
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as Error).message).toBe(
        `${file} cannot be changed: it was written by a newer Gatehouse (schema version 3); update Gatehouse`,
      );
      expect(mutated).toBe(false);
      expect(fs.readFileSync(file, 'utf8')).toBe(text);
      expect(asideFiles()).toEqual([]);
      expect(fs.readdirSync(dir)).toEqual(['settings.json']);
      expect(store.current.gateway.port).toBe(8100);
      expect(store.current.sessions.idleMinutes).toBe(30);
      expect(store.problem).toBeUndefined();
      expect(fired).toBe(0);
    });

    it('accepts the current version and a file without a version', () => {
      fs.writeFileSync(file, JSON.stringify({ schemaVersion: 1, gateway: { port: 1234 } }));
      expect(open().current.gateway.port).toBe(1234);
      fs.writeFileSync(file, JSON.stringify({ gateway: { port: 4321 } }));
      expect(open().current).toMatchObject({ schemaVersion: 1, gateway: { port: 4321 } });
    });
  });

  describe('watching', () => {
    it('picks up a change written by another instance (the CLI)', async () => {
      const serving = open({ watch: true, onCorrupt: 'keep-aside' });
      const seen: Settings[] = [];
      serving.onDidChange((s) => seen.push(s));

      const cli = open();
      cli.update((draft) => {
        draft.gateway.port = 8500;
        draft.clients.push({
          name: 'laptop',
          tokenHash: 'a'.repeat(64),
          createdAt: new Date().toISOString(),
        });
      });

      await waitFor(() => serving.current.gateway.port === 8500, 10_000, 20);
      expect(serving.current.clients.map((c) => c.name)).toEqual(['laptop']);
      await waitFor(() => seen.length > 0, 10_000, 20);
      expect(seen.at(-1)!.gateway.port).toBe(8500);
      expect(serving.problem).toBeUndefined();
    });

    it('keeps the last good settings when the file changes into something unusable, then recovers', async () => {
      const serving = open({ watch: true });
      const seen: Settings[] = [];
      serving.onDidChange((s) => seen.push(s));

      fs.writeFileSync(file, JSON.stringify({ gateway: { port: 123456 } }));
      await waitFor(() => serving.problem, 10_000, 20);
      expect(serving.problem).toMatch(/changed on disk but cannot be used \(gateway\.port/);
      expect(serving.current).toEqual(DEFAULTS);
      expect(seen).toEqual([]);
      // The unusable file is left for the person to fix.
      expect(fs.existsSync(file)).toBe(true);

      // The person fixes the file by hand (the CLI refuses to touch an unusable file).
      expect(() => open()).toThrow(SettingsError);
      fs.writeFileSync(file, JSON.stringify({ gateway: { port: 8600 } }));
      await waitFor(() => serving.current.gateway.port === 8600, 10_000, 20);
      await waitFor(() => serving.problem === undefined, 10_000, 20);
      expect(seen.at(-1)!.gateway.port).toBe(8600);
    });

    it.each([
      ['a newer version', JSON.stringify({ schemaVersion: 2, gateway: { port: 8650 } }), NEWER],
      ['an array', '[]', /it does not hold a settings object$/],
    ])(
      'keeps the last good settings when the file becomes %s, and leaves the file alone',
      async (_label, text, why) => {
        const serving = open({ watch: true, onCorrupt: 'keep-aside' });
        const seen: Settings[] = [];
        serving.onDidChange((s) => seen.push(s));

        fs.writeFileSync(file, text);
        await waitFor(() => serving.problem, 10_000, 20);
        const problem =
          /^settings\.json changed on disk but cannot be used \((.+)\); the last good settings stay in effect$/.exec(
            serving.problem!,
          );
        expect(problem?.[1]).toMatch(why);
        expect(serving.current).toEqual(DEFAULTS);
        expect(seen).toEqual([]);
        expect(fs.readFileSync(file, 'utf8')).toBe(text);
        expect(asideFiles()).toEqual([]);
      },
    );

    it('does not fire for a write that changes nothing', async () => {
      const serving = open({ watch: true });
      open().update((draft) => {
        draft.gateway.port = 8700;
      });
      await waitFor(() => serving.current.gateway.port === 8700, 10_000, 20);
      const seen: Settings[] = [];
      serving.onDidChange((s) => seen.push(s));
      open().update(() => {});
      // Give the watcher (25 ms debounce) ample time to react if it were going to.
      await sleep(300);
      expect(seen).toEqual([]);
    });

    it('stops watching after dispose', async () => {
      const serving = open({ watch: true });
      serving.dispose();
      open().update((draft) => {
        draft.gateway.port = 8800;
      });
      await sleep(300);
      expect(serving.current.gateway.port).toBe(7337);
    });
  });
});

describe('preference keys', () => {
  it('include the policy, approval and audit preferences', () => {
    expect(preferenceKeys).toEqual(
      expect.arrayContaining([
        'gateway.port',
        'sessions.idleMinutes',
        'upstream.timeoutSeconds',
        'upstream.connectTimeoutSeconds',
        'upstream.maxMessageMiB',
        'policy.defaults.read',
        'policy.defaults.write',
        'policy.defaults.destructive',
        'policy.defaults.unknown',
        'approvals.timeoutSeconds',
        'audit.retentionDays',
        'audit.durable',
      ]),
    );
    expect(new Set(preferenceKeys).size).toBe(preferenceKeys.length);
  });

  it('each name a plain value (not a section) of the defaults', () => {
    const defaults = preferencesSchema.parse({});
    for (const key of preferenceKeys) {
      const value = readPreference(defaults, key);
      expect(['number', 'boolean', 'string'], key).toContain(typeof value);
    }
  });

  it('reads two- and three-level keys', () => {
    const prefs = preferencesSchema.parse({
      gateway: { port: 9000 },
      policy: { defaults: { write: 'deny' } },
    });
    expect(readPreference(prefs, 'gateway.port')).toBe(9000);
    expect(readPreference(prefs, 'policy.defaults.write')).toBe('deny');
    expect(readPreference(prefs, 'policy.defaults.read')).toBe('allow');
    expect(readPreference(prefs, 'audit.durable')).toBe(false);
  });

  it('writes exactly the key it is given, for every key', () => {
    const defaults = settingsSchema.parse({});
    for (const key of preferenceKeys) {
      const draft = structuredClone(defaults);
      const marker = `changed ${key}`;
      writePreference(draft, key, marker);
      expect(readPreference(draft, key), key).toBe(marker);
      // Putting the default back gives the defaults again: nothing else was touched.
      writePreference(draft, key, readPreference(defaults, key));
      expect(draft, key).toEqual(defaults);
    }
  });

  it('writes a three-level key into a settings draft the schema then accepts', () => {
    const draft = settingsSchema.parse({});
    writePreference(draft, 'policy.defaults.unknown', 'deny');
    expect(settingsSchema.parse(draft).policy.defaults).toEqual({
      read: 'allow',
      write: 'ask',
      destructive: 'ask',
      unknown: 'deny',
    });
  });
});

describe('describeZodError', () => {
  it('gives one line per issue with its dotted path', () => {
    const schema = z.object({ a: z.object({ b: z.number() }), c: z.string() });
    const result = schema.safeParse({ a: { b: 'x' }, c: 1 });
    expect(result.success).toBe(false);
    if (!result.success) {
      const text = describeZodError(result.error);
      expect(text.split('; ')).toHaveLength(2);
      expect(text).toMatch(/^a\.b: /);
      expect(text).toMatch(/; c: /);
    }
  });

  it('names the root for a problem with the whole value', () => {
    const result = z.object({}).safeParse(5);
    if (!result.success) expect(describeZodError(result.error)).toMatch(/^\(root\): /);
    expect(result.success).toBe(false);
  });
});
