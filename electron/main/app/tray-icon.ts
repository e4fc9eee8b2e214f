import path from 'node:path';
import type { NativeImage, nativeImage as electronNativeImage } from 'electron';
import type { TrayState } from './tray-state.ts';

/** Embedded 16 px / 32 px gate glyphs, used only if the icon files are missing (a broken install). */
const FALLBACK = {
  template: [
    'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAOElEQVR42mNgoBH4jwOTrZEog4ixCacaop2ISz26ACGnE2UAujj9DRjpXqA4HZBtAClJ+T9Vsi0A6sxnmYz+wpkAAAAASUVORK5CYII=',
    'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAUUlEQVR42mNgGAXEg/8k4qHvgP9UxkPHAdTyAdnmDJgDaJ2KCZo/6B1AaaIbPg4gpH7UAcPfAaO5YDQNjDpg5OaC0fbAyHMArRqlg9cBIxMAAH6lnnCCdboJAAAAAElFTkSuQmCC',
  ],
  color: [
    'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAARElEQVR42mOwbvrGQAnGJfEfByZowH8iMVYD8NqESw26BLF+h6vHZQAhpxNlALo4/Q0Y6V6gOB2QbQApSfk/vtxINAYA1Rgatwd22hEAAAAASUVORK5CYII=',
    'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAV0lEQVR42mOwbvrGMJCYYSg54D+JeOg74D+V8dBxAEVBSqo5g8oBlFpIqoOGngMoTXTDxwGE1I86YPg7YDQXjKaBUQeM3Fww2h4YeQ6gVaN08DpgZPaOAe7VatkY4zI2AAAAAElFTkSuQmCC',
  ],
} as const;

/**
 * Where the tray icons are: `resources/tray` in a package (electron-builder `extraResources`), the
 * repository's `build/tray` when running from a build (`out/main` → `../../build/tray`).
 */
export function trayIconDir(options: {
  mainDir: string;
  isPackaged: boolean;
  resourcesPath: string;
}): string {
  return options.isPackaged
    ? path.join(options.resourcesPath, 'tray')
    : path.resolve(options.mainDir, '..', '..', 'build', 'tray');
}

const TEMPLATE_NAMES: Record<TrayState, string> = {
  ok: 'trayTemplate.png',
  attention: 'trayAttentionTemplate.png',
  paused: 'trayPausedTemplate.png',
  error: 'trayErrorTemplate.png',
};

/**
 * The icon file for a state and platform: macOS template images (black with alpha, tinted by the
 * system; the `@2x` file next to it is picked up by Electron), Windows `.ico` (16–48 px), Linux PNG
 * (24 px with a 48 px `@2x`). The states differ in shape, not only colour (a dot, pause bars, a cross).
 */
export function trayIconFile(dir: string, state: TrayState, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return path.join(dir, TEMPLATE_NAMES[state]);
  if (platform === 'win32') return path.join(dir, `tray-${state}.ico`);
  return path.join(dir, `tray-${state}.png`);
}

type NativeImageApi = Pick<typeof electronNativeImage, 'createFromPath' | 'createFromDataURL'>;

/** Loads the tray icon for a state, falling back to the embedded glyph if the file is missing. */
export function loadTrayIcon(
  nativeImage: NativeImageApi,
  dir: string,
  state: TrayState,
  platform: NodeJS.Platform,
): NativeImage {
  const image = nativeImage.createFromPath(trayIconFile(dir, state, platform));
  const usable = image.isEmpty() ? fallbackIcon(nativeImage, platform) : image;
  // macOS tints template images for light and dark menu bars.
  if (platform === 'darwin') usable.setTemplateImage(true);
  return usable;
}

function fallbackIcon(nativeImage: NativeImageApi, platform: NodeJS.Platform): NativeImage {
  const [normal, retina] = platform === 'darwin' ? FALLBACK.template : FALLBACK.color;
  const image = nativeImage.createFromDataURL(`data:image/png;base64,${normal}`);
  image.addRepresentation({ scaleFactor: 2, dataURL: `data:image/png;base64,${retina}` });
  return image;
}
