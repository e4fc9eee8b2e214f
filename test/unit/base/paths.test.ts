import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appConfigDir,
  currentHost,
  defaultDataDir,
  resolveDataDir,
  type HostEnv,
} from '../../../electron/main/base/paths.ts';

const mac: HostEnv = { platform: 'darwin', home: '/Users/ann', env: {} };
const windows: HostEnv = { platform: 'win32', home: 'C:\\Users\\ann', env: {} };
const linux: HostEnv = { platform: 'linux', home: '/home/ann', env: {} };

describe('per-user folders', () => {
  it('puts an app folder where each platform keeps application data', () => {
    expect(appConfigDir('Claude', mac)).toBe('/Users/ann/Library/Application Support/Claude');
    expect(appConfigDir('Claude', linux)).toBe('/home/ann/.config/Claude');
    expect(appConfigDir('Claude', windows)).toBe('C:\\Users\\ann\\AppData\\Roaming\\Claude');
  });

  it('follows XDG_CONFIG_HOME, APPDATA and USERPROFILE, ignoring empty values', () => {
    expect(appConfigDir('Code', { ...linux, env: { XDG_CONFIG_HOME: '/cfg' } })).toBe('/cfg/Code');
    expect(appConfigDir('Code', { ...linux, env: { XDG_CONFIG_HOME: '' } })).toBe('/home/ann/.config/Code');
    expect(appConfigDir('Code', { ...windows, env: { APPDATA: 'E:\\roam' } })).toBe('E:\\roam\\Code');
    expect(appConfigDir('Code', { ...windows, env: { USERPROFILE: 'D:\\me' } })).toBe(
      'D:\\me\\AppData\\Roaming\\Code',
    );
  });

  it("builds Gatehouse's data folder on the same rules, from the injected home", () => {
    expect(defaultDataDir(linux)).toBe('/home/ann/.config/Gatehouse');
    expect(defaultDataDir(mac)).toBe('/Users/ann/Library/Application Support/Gatehouse');
    expect(defaultDataDir(windows)).toBe('C:\\Users\\ann\\AppData\\Roaming\\Gatehouse');
  });

  it('resolves the data folder from the flag, then GATEHOUSE_DATA_DIR, then the default', () => {
    expect(resolveDataDir('/a', { GATEHOUSE_DATA_DIR: '/b' })).toBe(path.resolve('/a'));
    expect(resolveDataDir(undefined, { GATEHOUSE_DATA_DIR: '/b' })).toBe(path.resolve('/b'));
    const env = { XDG_CONFIG_HOME: '/xdg', APPDATA: '/xdg' };
    expect(resolveDataDir(undefined, env)).toBe(path.resolve(defaultDataDir({ ...currentHost(), env })));
    if (process.platform === 'linux') expect(resolveDataDir(undefined, env)).toBe('/xdg/Gatehouse');
  });
});
