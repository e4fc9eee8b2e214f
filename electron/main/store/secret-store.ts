import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic, withFileLock } from './fs-utils.ts';

/**
 * Where secrets live (upstream header values, OAuth tokens, client secrets). The core depends on this
 * interface only; Electron supplies a safeStorage-backed one, headless uses {@link FileSecretStore}.
 */
export interface SecretStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** Deletes every key starting with `prefix`. */
  deletePrefix(prefix: string): void;
  /** Where and how secrets are kept, for status displays and docs. */
  readonly description: string;
}

/** Encrypts and decrypts blobs; Electron's safeStorage fits this shape. */
export interface SecretCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

/** Marks a value encrypted by a {@link SecretCipher}, and one stored as it is (headless). */
const SEALED = 'sealed:';
const PLAIN = 'plain:';

/** A secret exists but this host cannot decrypt it. */
export class SecretUnavailableError extends Error {}

/**
 * Secrets in one JSON file readable by the owner only (mode 0600). Headless hosts have no OS keychain
 * we can rely on; the README states this plainly. With a {@link SecretCipher} (Electron safeStorage)
 * values are stored encrypted with the OS-held key, never with a key file beside the data.
 */

export class FileSecretStore implements SecretStore {
  readonly #file: string;
  readonly #cipher: SecretCipher | undefined;

  constructor(dataDir: string, cipher?: SecretCipher) {
    this.#file = path.join(dataDir, 'secrets.json');
    this.#cipher = cipher;
  }

  get description(): string {
    return this.#cipher
      ? `encrypted with the operating system's keychain in ${this.#file}`
      : `${this.#file} (readable by the owner only, not encrypted)`;
  }

  get(key: string): string | undefined {
    const stored = this.#read()[key];
    if (stored === undefined) return undefined;
    if (stored.startsWith(PLAIN)) return stored.slice(PLAIN.length); // written by a headless Gatehouse
    if (!stored.startsWith(SEALED)) return stored;
    if (!this.#cipher) {
      throw new SecretUnavailableError(
        `the secret "${key}" was encrypted with the desktop app's keychain and cannot be read headless; ` +
          'enter it again with the gatehouse command (or use the desktop app)',
      );
    }
    return this.#cipher.decrypt(stored.slice(SEALED.length));
  }

  set(key: string, value: string): void {
    this.#update((all) => {
      all[key] = this.#cipher ? SEALED + this.#cipher.encrypt(value) : PLAIN + value;
    });
  }

  delete(key: string): void {
    this.#update((all) => {
      delete all[key];
    });
  }

  deletePrefix(prefix: string): void {
    this.#update((all) => {
      for (const key of Object.keys(all)) if (key.startsWith(prefix)) delete all[key];
    });
  }

  #read(): Record<string, string> {
    let text: string;
    try {
      text = fs.readFileSync(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`${this.#file} is not a secrets file; fix or move it away`);
    }
    return parsed as Record<string, string>;
  }

  #update(fn: (all: Record<string, string>) => void): void {
    withFileLock(this.#file, () => {
      const all = this.#read();
      fn(all);
      writeFileAtomic(this.#file, JSON.stringify(all, null, 2) + '\n', 0o600);
    });
  }
}
