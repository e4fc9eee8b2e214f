import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The name of the autostart entry on Linux (`$XDG_CONFIG_HOME/autostart/<name>`). */
export const AUTOSTART_FILE_NAME = 'gatehouse.desktop';

/** Electron's login item call (macOS login items, the Windows Run registry key). */
export interface LoginItemApi {
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

/** The file operations the Linux autostart entry needs (node:fs, or a fake in tests). */
export interface AutostartFs {
  mkdirSync(dir: string, options: { recursive: true }): unknown;
  writeFileSync(file: string, data: string, options: { mode: number }): void;
  rmSync(file: string, options: { force: true }): void;
}

export interface StartAtLoginContext {
  platform: NodeJS.Platform;
  loginItems: LoginItemApi;
  /** The program to start: the app binary (the AppImage itself when run from one). */
  execPath: string;
  /** Arguments before any of ours: the app folder when running unpackaged (`electron .`). */
  args: string[];
  env: NodeJS.ProcessEnv;
  homeDir?: string;
  fs?: AutostartFs;
}

/** What {@link applyStartAtLogin} did, for the log. */
export type StartAtLoginResult =
  | { mechanism: 'login-item'; enabled: boolean }
  | { mechanism: 'autostart-file'; enabled: boolean; file: string }
  | { mechanism: 'unsupported'; enabled: boolean };

/** `$XDG_CONFIG_HOME/autostart/gatehouse.desktop` (default `~/.config/autostart/…`). */
export function autostartFile(env: NodeJS.ProcessEnv, homeDir: string = os.homedir()): string {
  const configHome =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(homeDir, '.config');
  return path.join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

/** Characters that make the Desktop Entry spec require an argument to be quoted. */
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * Quotes one argument for a `.desktop` `Exec` key: reserved characters mean double quotes, inside
 * which `"`, `` ` ``, `$` and `\` are backslash-escaped; `%` is doubled (field codes); and, because
 * the value is also a desktop-entry string, every backslash is escaped once more.
 */
export function quoteExecArgument(arg: string): string {
  const percent = arg.replaceAll('%', '%%');
  const quoted =
    RESERVED.test(percent) || percent === '' ? `"${percent.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : percent;
  return quoted.replaceAll('\\', '\\\\');
}

/** The autostart entry that starts Gatehouse (to its tray) when the person logs in. */
export function linuxAutostartEntry(execPath: string, args: string[]): string {
  const exec = [execPath, ...args].map(quoteExecArgument).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Gatehouse',
    'Comment=Personal MCP gateway (starts in the tray)',
    `Exec=${exec}`,
    'Icon=gatehouse',
    'Terminal=false',
    'Categories=Utility;Security;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** The program to register: the AppImage file when run from one (its mount point changes each run). */
export function startProgram(execPath: string, env: NodeJS.ProcessEnv): string {
  return env.APPIMAGE && path.isAbsolute(env.APPIMAGE) ? env.APPIMAGE : execPath;
}

/**
 * Turns start at login on or off with the platform's mechanism: macOS login items and the Windows Run
 * key through Electron's `setLoginItemSettings`; on Linux an autostart entry (XDG Autostart spec) in
 * `$XDG_CONFIG_HOME/autostart`, written when on and removed when off. Driven by `app.startAtLogin`.
 */
export function applyStartAtLogin(enabled: boolean, context: StartAtLoginContext): StartAtLoginResult {
  const { platform } = context;
  if (platform === 'darwin' || platform === 'win32') {
    context.loginItems.setLoginItemSettings(
      platform === 'win32'
        ? { openAtLogin: enabled, path: context.execPath, args: context.args }
        : { openAtLogin: enabled },
    );
    return { mechanism: 'login-item', enabled };
  }
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    const files = context.fs ?? fs;
    const file = autostartFile(context.env, context.homeDir);
    if (enabled) {
      files.mkdirSync(path.dirname(file), { recursive: true });
      const program = startProgram(context.execPath, context.env);
      files.writeFileSync(file, linuxAutostartEntry(program, context.args), { mode: 0o644 });
    } else {
      files.rmSync(file, { force: true });
    }
    return { mechanism: 'autostart-file', enabled, file };
  }
  return { mechanism: 'unsupported', enabled };
}

/**
 * Applies the setting at start and whenever it changes (not on every settings event): the returned
 * function takes the current value and acts only on a difference from the last one applied.
 */
export function startAtLoginSync(apply: (enabled: boolean) => void): (enabled: boolean) => void {
  let applied: boolean | undefined;
  return (enabled) => {
    if (enabled === applied) return;
    applied = enabled;
    apply(enabled);
  };
}
