import { describe, expect, it, vi } from 'vitest';

const created = vi.hoisted(() => [] as Record<string, unknown>[]);
vi.mock('electron-store', () => ({
  default: class {
    readonly path = '/tmp/settings.json';
    store = {};
    constructor(options: Record<string, unknown>) {
      created.push(options);
    }
  },
}));

const { createElectronConf } = await import('../../../electron/main/app/electron-store-conf.ts');

describe('createElectronConf', () => {
  it("maps conf's configName to electron-store's name, so the file stays settings.json", () => {
    createElectronConf({
      cwd: '/data',
      configName: 'settings',
      projectName: 'gatehouse',
      configFileMode: 0o600,
    });
    expect(created.at(-1)).toEqual({ cwd: '/data', name: 'settings', configFileMode: 0o600 });
  });
});
