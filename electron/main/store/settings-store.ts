import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import type { z } from 'zod';
import { SETTINGS_SCHEMA_VERSION, settingsSchema, type Settings } from '../../../shared/schemas/settings.ts';
import { Emitter, type Event } from '../base/emitter.ts';
import type { Logger } from '../base/logger.ts';
import { keepAside, withFileLock } from './fs-utils.ts';

/** The slice of `conf` (and so of `electron-store`, which extends it) the settings store uses. */
export interface ConfLike {
  readonly path: string;
  store: Record<string, unknown>;
}

export interface SettingsStoreOptions {
  dataDir: string;
  logger: Logger;
  /** Watch the file so changes made by the CLI apply to a running gateway without a restart. */
  watch?: boolean;
  /** What to do with an unreadable file at open: keep it aside and start from defaults, or refuse. */
  onCorrupt?: 'keep-aside' | 'fail';
  /** Electron passes an electron-store factory; headless uses conf directly (same file, same schema). */
  createConf?: (options: ConstructorParameters<typeof Conf>[0]) => ConfLike;
}

/** Upgrades an older settings object one version at a time (numbered migrations). */
const migrations: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {
  // 1 -> 2 goes here when the schema changes.
};

export class SettingsError extends Error {}

/**
 * Settings, servers and client records: schema-validated with zod, migrated, written atomically under
 * a lock. A corrupt file is kept aside and reported, never silently reset (architecture.md, Storage).
 */
export class SettingsStore {
  readonly #conf: ConfLike;
  readonly #logger: Logger;
  readonly #onDidChange = new Emitter<Settings>();
  readonly #watcher: fs.FSWatcher | undefined;
  #reloadTimer: NodeJS.Timeout | undefined;
  #current: Settings;
  #problem: string | undefined;

  /** Fires after the settings changed, by this process or (when watching) by another. */
  readonly onDidChange: Event<Settings> = this.#onDidChange.event;

  constructor(options: SettingsStoreOptions) {
    this.#logger = options.logger;
    const confOptions = {
      cwd: options.dataDir,
      configName: 'settings',
      projectName: 'gatehouse',
      clearInvalidConfig: false,
      configFileMode: 0o600,
      serialize: (value: unknown) => JSON.stringify(value, null, 2) + '\n',
    };
    const create = options.createConf ?? ((o) => new Conf(o));
    let created: ConfLike | undefined;
    let unparsable = '';
    try {
      created = create(confOptions);
    } catch (error) {
      // conf parses the file while it opens it: a file that is not JSON at all fails here, not in #read.
      if (!(error instanceof SyntaxError)) throw error;
      unparsable = error.message;
    }
    const file = created?.path ?? path.join(options.dataDir, 'settings.json');
    if (created) this.#conf = created;
    const first = created ? this.#read() : { problem: unparsable };
    if ('settings' in first) {
      this.#current = first.settings;
    } else if ((options.onCorrupt ?? 'fail') === 'fail' || ('newer' in first && first.newer)) {
      // A newer file is not corrupt: never move it aside (a downgrade must not hide the settings).
      throw new SettingsError(`${file} cannot be used: ${first.problem}`);
    } else {
      const aside = keepAside(file, 'corrupt');
      this.#problem = `settings.json could not be read (${first.problem}); it was kept as ${aside} and Gatehouse started with default settings`;
      this.#logger.error(this.#problem);
      this.#current = settingsSchema.parse({});
    }
    this.#conf = created ?? create(confOptions);
    if (options.watch) this.#watcher = this.#watch(options.dataDir);
  }

  get path(): string {
    return this.#conf.path;
  }

  /** The last valid settings. */
  get current(): Settings {
    return this.#current;
  }

  /** A problem with the file on disk that the person should hear about, if any. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /**
   * Applies `mutate` to a fresh read of the file and writes the result, all under a lock shared with
   * other Gatehouse processes. Throws (writing nothing) if the result does not pass the schema.
   */
  update(mutate: (draft: Settings) => void): Settings {
    return withFileLock(this.#conf.path, () => {
      const fresh = this.#read();
      let base: Settings;
      if ('settings' in fresh) {
        base = fresh.settings;
      } else if ('newer' in fresh) {
        throw new SettingsError(`${this.#conf.path} cannot be changed: ${fresh.problem}`);
      } else {
        // Never overwrite a file we cannot read: keep it for the person, then write from the last good state.
        const aside = keepAside(this.#conf.path, 'corrupt');
        this.#problem = `settings.json was unreadable (${fresh.problem}); it was kept as ${aside}`;
        this.#logger.error(this.#problem);
        base = this.#current;
      }
      const draft = structuredClone(base);
      mutate(draft);
      const checked = settingsSchema.safeParse(draft);
      if (!checked.success) throw new SettingsError(describeZodError(checked.error));
      this.#conf.store = checked.data;
      this.#current = checked.data;
      if (this.#problem?.includes('changed on disk')) this.#problem = undefined;
      this.#onDidChange.fire(this.#current);
      return this.#current;
    });
  }

  dispose(): void {
    this.#watcher?.close();
    clearTimeout(this.#reloadTimer);
    this.#onDidChange.dispose();
  }

  /**
   * Watches the folder (inotify/FSEvents, no polling) so a change by the CLI — a revoked client above
   * all — applies within milliseconds. The folder, not the file: writes are atomic renames.
   */
  #watch(dataDir: string): fs.FSWatcher | undefined {
    const name = path.basename(this.#conf.path);
    try {
      const watcher = fs.watch(dataDir, { persistent: false }, (_event, file) => {
        if (file !== null && file.toString() !== name) return;
        clearTimeout(this.#reloadTimer);
        this.#reloadTimer = setTimeout(() => this.#reloadFromDisk(), 25);
      });
      watcher.on('error', (error) => this.#logger.warn('settings watcher failed', { error: error.message }));
      return watcher;
    } catch (error) {
      this.#logger.warn('cannot watch the settings file; restart to apply outside changes', {
        error: String(error),
      });
      return undefined;
    }
  }

  #reloadFromDisk(): void {
    const next = this.#read();
    if ('problem' in next) {
      this.#problem = `settings.json changed on disk but cannot be used (${next.problem}); the last good settings stay in effect`;
      this.#logger.warn(this.#problem);
      return;
    }
    if (JSON.stringify(next.settings) === JSON.stringify(this.#current)) return;
    this.#problem = undefined;
    this.#current = next.settings;
    this.#onDidChange.fire(this.#current);
  }

  /**
   * Reads and checks the file itself (conf quietly reads `[]` or `42` as an empty store, which would
   * let the next write replace the person's file with defaults).
   */
  #read(): { settings: Settings } | { problem: string; newer?: true } {
    let raw: Record<string, unknown>;
    try {
      const value = JSON.parse(fs.readFileSync(this.#conf.path, 'utf8')) as unknown;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return { problem: 'it does not hold a settings object' };
      }
      raw = value as Record<string, unknown>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') raw = {};
      else return { problem: error instanceof Error ? error.message : String(error) };
    }
    const version = typeof raw.schemaVersion === 'number' ? raw.schemaVersion : SETTINGS_SCHEMA_VERSION;
    if (version > SETTINGS_SCHEMA_VERSION) {
      return {
        problem: `it was written by a newer Gatehouse (schema version ${version}); update Gatehouse`,
        newer: true,
      };
    }
    for (let v = version; v < SETTINGS_SCHEMA_VERSION; v++) {
      const migrate = migrations[v];
      if (migrate) raw = migrate(raw);
    }
    const parsed = settingsSchema.safeParse({ ...raw, schemaVersion: SETTINGS_SCHEMA_VERSION });
    return parsed.success ? { settings: parsed.data } : { problem: describeZodError(parsed.error) };
  }
}

/** One readable line per schema problem, e.g. `gateway.port: Too big: expected number to be <=65535`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
