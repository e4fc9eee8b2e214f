import os from 'node:os';
import path from 'node:path';

/** The product name, which is also the folder name Electron's `app.getPath('userData')` uses. */
export const APP_FOLDER_NAME = 'Gatehouse';

/**
 * The per-user data folder, the same one the desktop app uses (Electron's userData for productName
 * "Gatehouse"): macOS `~/Library/Application Support/Gatehouse`, Windows `%APPDATA%\Gatehouse`,
 * Linux `$XDG_CONFIG_HOME/Gatehouse` (default `~/.config/Gatehouse`).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), APP_FOLDER_NAME);
  }
}

/** `--data-dir` wins, then `GATEHOUSE_DATA_DIR`, then the per-user default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env.GATEHOUSE_DATA_DIR;
  return path.resolve(chosen && chosen.length > 0 ? chosen : defaultDataDir(env));
}
