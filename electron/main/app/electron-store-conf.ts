import ElectronStore from 'electron-store';
import type { ConfLike, SettingsStoreOptions } from '../store/settings-store.ts';

type ConfOptions = Parameters<NonNullable<SettingsStoreOptions['createConf']>>[0];

/**
 * The settings store's `createConf` factory for the desktop: electron-store over the same file and
 * schema the headless host opens with conf. electron-store takes the file name as `name` (it would
 * otherwise write `config.json`) and derives project naming from the app, so those options are mapped.
 */
export function createElectronConf(options: ConfOptions): ConfLike {
  const { configName, projectName: _projectName, projectSuffix: _projectSuffix, ...rest } = options ?? {};
  return new ElectronStore({ ...rest, ...(configName !== undefined ? { name: configName } : {}) });
}
