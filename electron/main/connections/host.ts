import os from 'node:os';
import path from 'node:path';

/**
 * The machine the client config files live on: platform, home folder and environment. Injectable so
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
export function hostPath(host: HostEnv): path.PlatformPath {
  return host.platform === 'win32' ? path.win32 : path.posix;
}

/** The user's home folder (Windows: `%USERPROFILE%` when set). */
export function homeDir(host: HostEnv): string {
  if (host.platform === 'win32') return host.env.USERPROFILE || host.home;
  return host.home;
}

/**
 * The per-user application-config folder desktop apps (Electron's userData) use: macOS
 * `~/Library/Application Support`, Windows `%APPDATA%`, Linux `$XDG_CONFIG_HOME` (default `~/.config`).
 */
export function appConfigDir(host: HostEnv): string {
  const p = hostPath(host);
  switch (host.platform) {
    case 'darwin':
      return p.join(host.home, 'Library', 'Application Support');
    case 'win32':
      return host.env.APPDATA || p.join(homeDir(host), 'AppData', 'Roaming');
    default:
      return host.env.XDG_CONFIG_HOME || p.join(host.home, '.config');
  }
}
