import type { NativeImage, nativeImage as electronNativeImage } from 'electron';

/** 16 px and 32 px (@2x) PNGs of the gate glyph: black for macOS template images, blue elsewhere. */
const ICONS = {
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
 * The tray icon, built from embedded PNGs so the tray works from a plain build as well as a package
 * (packaged icons in build/ can replace these later).
 */
export function createTrayIcon(
  nativeImage: Pick<typeof electronNativeImage, 'createFromDataURL'>,
  platform: NodeJS.Platform,
): NativeImage {
  const [normal, retina] = platform === 'darwin' ? ICONS.template : ICONS.color;
  const image = nativeImage.createFromDataURL(`data:image/png;base64,${normal}`);
  image.addRepresentation({ scaleFactor: 2, dataURL: `data:image/png;base64,${retina}` });
  // macOS tints template images for light and dark menu bars.
  if (platform === 'darwin') image.setTemplateImage(true);
  return image;
}
