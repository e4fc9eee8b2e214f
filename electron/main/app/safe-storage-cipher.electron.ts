import type { SafeStorage } from 'electron';
import type { Logger } from '../base/logger.ts';
import type { SecretCipher } from '../store/secret-store.ts';

/** The safeStorage calls the adapter uses (Electron's `safeStorage`, or a fake in tests). */
export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

/**
 * Adapts Electron's safeStorage (the OS keychain: macOS Keychain, Windows DPAPI, libsecret/kwallet on
 * Linux) to the core's {@link SecretCipher}: `encrypt` returns base64 of `encryptString`. Call after the
 * app is ready. Returns undefined when no encryption is available at all; secrets then stay in the
 * owner-only file, as headless (architecture.md, Storage), and a warning says so.
 *
 * Linux `basic_text` choice: when no keyring is found, Chromium "encrypts" with a hard-coded key, which
 * is obfuscation, not protection. We do not refuse to start (people on desktops without a keyring would
 * lose the app, and the owner-only file headless uses is no stronger); we log a warning naming the fix
 * (run a Secret Service such as gnome-keyring or KWallet, or pass `--password-store`). The store's
 * description still reports the keychain, so a later issue should surface this in the UI.
 */
export function createSafeStorageCipher(
  safeStorage: SafeStorageLike,
  logger: Logger,
  platform: NodeJS.Platform = process.platform,
): SecretCipher | undefined {
  if (!safeStorage.isEncryptionAvailable()) {
    logger.warn(
      'the OS keychain is not available: secrets are kept in an owner-only file without encryption',
    );
    return undefined;
  }
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    logger.warn(
      'no Secret Service (gnome-keyring, KWallet) was found: Electron protects secrets with a built-in key ' +
        '(basic_text), which does not keep them from other programs of this user; start a keyring daemon ' +
        'or pass --password-store=gnome-libsecret|kwallet6 to use the OS keychain',
    );
  }
  return {
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
