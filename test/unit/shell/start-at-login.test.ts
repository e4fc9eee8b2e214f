import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  applyStartAtLogin,
  autostartFile,
  linuxAutostartEntry,
  quoteExecArgument,
  startAtLoginSync,
} from '../../../electron/main/app/start-at-login.ts';

// The module is driven with Electron's login item API passed in; Electron itself is never loaded.
vi.mock('electron', () => {
  throw new Error('electron must not be loaded by start-at-login');
});

const temps: string[] = [];
function tempHome(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-autostart-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('applyStartAtLogin', () => {
  it('macOS: a login item through setLoginItemSettings', () => {
    const loginItems = { setLoginItemSettings: vi.fn() };
    const context = {
      platform: 'darwin' as const,
      loginItems,
      execPath: '/Applications/Gatehouse.app/Contents/MacOS/Gatehouse',
      args: [],
      env: {},
    };
    expect(applyStartAtLogin(true, context)).toEqual({ mechanism: 'login-item', enabled: true });
    applyStartAtLogin(false, context);
    expect(loginItems.setLoginItemSettings.mock.calls).toEqual([
      [{ openAtLogin: true }],
      [{ openAtLogin: false }],
    ]);
  });

  it('Windows: the Run key through setLoginItemSettings, naming the program', () => {
    const loginItems = { setLoginItemSettings: vi.fn() };
    const execPath = 'C:\\Users\\me\\AppData\\Local\\Programs\\Gatehouse\\Gatehouse.exe';
    applyStartAtLogin(true, { platform: 'win32', loginItems, execPath, args: [], env: {} });
    expect(loginItems.setLoginItemSettings).toHaveBeenCalledWith({
      openAtLogin: true,
      path: execPath,
      args: [],
    });
  });

  it('Linux: writes an XDG autostart entry when on and removes it when off', () => {
    const home = tempHome();
    const configHome = path.join(home, 'config');
    const loginItems = { setLoginItemSettings: vi.fn() };
    const context = {
      platform: 'linux' as const,
      loginItems,
      execPath: '/opt/Gatehouse/gatehouse',
      args: [],
      env: { XDG_CONFIG_HOME: configHome },
      homeDir: home,
    };
    const on = applyStartAtLogin(true, context);
    const file = path.join(configHome, 'autostart', 'gatehouse.desktop');
    expect(on).toEqual({ mechanism: 'autostart-file', enabled: true, file });
    const entry = fs.readFileSync(file, 'utf8');
    expect(entry).toContain('[Desktop Entry]');
    expect(entry).toContain('Type=Application');
    expect(entry).toContain('Exec=/opt/Gatehouse/gatehouse\n');
    expect(loginItems.setLoginItemSettings).not.toHaveBeenCalled();
    applyStartAtLogin(false, context);
    expect(fs.existsSync(file)).toBe(false);
    // Turning off what is already off is fine.
    expect(() => applyStartAtLogin(false, context)).not.toThrow();
  });

  it('Linux: registers the AppImage file, not its temporary mount, and the app folder when unpackaged', () => {
    const home = tempHome();
    const env = { APPIMAGE: '/home/me/Apps/Gatehouse-0.1.0.AppImage' };
    applyStartAtLogin(true, {
      platform: 'linux',
      loginItems: { setLoginItemSettings: vi.fn() },
      execPath: '/tmp/.mount_GatehoXYZ/gatehouse',
      args: [],
      env,
      homeDir: home,
    });
    const entry = fs.readFileSync(autostartFile(env, home), 'utf8');
    expect(entry).toContain('Exec=/home/me/Apps/Gatehouse-0.1.0.AppImage\n');
    expect(linuxAutostartEntry('/usr/lib/electron/electron', ['/home/me/my projects/gatehouse'])).toContain(
      'Exec=/usr/lib/electron/electron "/home/me/my projects/gatehouse"\n',
    );
  });

  it('defaults to ~/.config/autostart and ignores a relative XDG_CONFIG_HOME', () => {
    expect(autostartFile({}, '/home/me')).toBe(
      path.join('/home/me', '.config', 'autostart', 'gatehouse.desktop'),
    );
    expect(autostartFile({ XDG_CONFIG_HOME: 'rel' }, '/home/me')).toBe(
      path.join('/home/me', '.config', 'autostart', 'gatehouse.desktop'),
    );
  });

  it('quotes Exec arguments as the Desktop Entry spec says', () => {
    expect(quoteExecArgument('/opt/Gatehouse/gatehouse')).toBe('/opt/Gatehouse/gatehouse');
    expect(quoteExecArgument('/a b')).toBe('"/a b"');
    expect(quoteExecArgument('100%')).toBe('100%%');
    // `$` and `"` are escaped inside quotes, and every backslash once more for the string value.
    expect(quoteExecArgument('a"$b')).toBe('"a\\\\"\\\\$b"');
    expect(quoteExecArgument('')).toBe('""');
  });

  it('applies only when the setting changes', () => {
    const apply = vi.fn();
    const sync = startAtLoginSync(apply);
    sync(false);
    sync(false);
    sync(true);
    sync(true);
    sync(false);
    expect(apply.mock.calls).toEqual([[false], [true], [false]]);
  });
});
