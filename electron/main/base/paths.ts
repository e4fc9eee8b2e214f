import os from 'node:os';
import path from 'node:path';

/** The product name, which is also the folder name Electron's `app.getPath('userData')` uses. */
export const APP_FOLDER_NAME = 'Gatehouse';

/**
 * The machine per-user folders are computed for: platform, home folder and environment. Injectable so
 * tests use a temporary HOME and can compute every platform's paths on any platform.
 */
export interface HostEnv {
  platform: NodeJS.Platform;
  home: string;
  env: NodeJS.ProcessEnv;
}

export function currentHost(): HostEnv {
  return { platform: process.platform, home: os.homedir(), env: process.env };
}

/** `path` of the host's platform (win32 paths are computed with win32 rules even on Linux). */
export function hostPath(host: Pick<HostEnv, 'platform'>): path.PlatformPath {
  return host.platform === 'win32' ? path.win32 : path.posix;
}

/** The user's home folder (Windows: `%USERPROFILE%` when set). */
export function homeDir(host: HostEnv): string {
  if (host.platform === 'win32') return host.env.USERPROFILE || host.home;
  return host.home;
}

/**
 * The per-user folder of a desktop app, the one Electron's `userData` is for productName `appName`:
 * macOS `~/Library/Application Support/<appName>`, Windows `%APPDATA%\<appName>` (default
 * `%USERPROFILE%\AppData\Roaming`), Linux `$XDG_CONFIG_HOME/<appName>` (default `~/.config`).
 */
export function appConfigDir(appName: string, host: HostEnv = currentHost()): string {
  const p = hostPath(host);
  switch (host.platform) {
    case 'darwin':
      return p.join(host.home, 'Library', 'Application Support', appName);
    case 'win32':
      return p.join(host.env.APPDATA || p.join(homeDir(host), 'AppData', 'Roaming'), appName);
    default:
      return p.join(host.env.XDG_CONFIG_HOME || p.join(host.home, '.config'), appName);
  }
}

/** Gatehouse's per-user data folder, the same one the desktop app uses (see `appConfigDir`). */
export function defaultDataDir(host: HostEnv = currentHost()): string {
  return appConfigDir(APP_FOLDER_NAME, host);
}

/** `--data-dir` wins, then `GATEHOUSE_DATA_DIR`, then the per-user default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env.GATEHOUSE_DATA_DIR;
  return path.resolve(chosen && chosen.length > 0 ? chosen : defaultDataDir({ ...currentHost(), env }));
}
