import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../electron/main/base/logger.ts';
import {
  createSafeStorageCipher,
  type SafeStorageLike,
} from '../../../electron/main/app/safe-storage-cipher.electron.ts';

vi.mock('electron', () => {
  throw new Error('the adapter takes safeStorage as a parameter');
});

function fakeSafeStorage(
  backend: ReturnType<SafeStorageLike['getSelectedStorageBackend']>,
  available = true,
) {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain: string) => Buffer.from(`sealed:${plain}`),
    decryptString: (sealed: Buffer) => sealed.toString().replace(/^sealed:/, ''),
  } satisfies SafeStorageLike;
}

function spyLogger() {
  const warn = vi.fn();
  const logger = { debug() {}, info() {}, warn, error() {}, child: () => logger } as unknown as Logger;
  return { logger, warn };
}

describe('createSafeStorageCipher', () => {
  it('stores base64 of safeStorage.encryptString and decrypts it back', () => {
    const { logger, warn } = spyLogger();
    const cipher = createSafeStorageCipher(fakeSafeStorage('gnome_libsecret'), logger, 'linux')!;
    const sealed = cipher.encrypt('sk-secret');
    expect(sealed).toBe(Buffer.from('sealed:sk-secret').toString('base64'));
    expect(cipher.decrypt(sealed)).toBe('sk-secret');
    expect(warn).not.toHaveBeenCalled();
  });

  it('warns (and keeps working) on the Linux basic_text backend', () => {
    const { logger, warn } = spyLogger();
    expect(createSafeStorageCipher(fakeSafeStorage('basic_text'), logger, 'linux')).toBeDefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('basic_text'));
  });

  it('returns no cipher, with a warning, when encryption is unavailable', () => {
    const { logger, warn } = spyLogger();
    expect(createSafeStorageCipher(fakeSafeStorage('unknown', false), logger, 'darwin')).toBeUndefined();
    expect(warn).toHaveBeenCalledOnce();
  });
});
