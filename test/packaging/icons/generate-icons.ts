/**
 * Generates every icon in build/ from code (no downloads, no image tools):
 *   build/icon.png (1024), build/icon.ico (16–256), build/icon.icns (16–1024),
 *   build/tray/: macOS template images (trayTemplate.png + @2x, one per state), Windows .ico and
 *   Linux PNG (24 px + @2x) for the states ok, attention, paused, error.
 * Run: `npx node test/packaging/icons/generate-icons.ts` (the files are committed; the packaging
 * test checks they are there and well formed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodeIcns, encodeIco } from './containers.ts';
import {
  arch,
  bar,
  circle,
  minus,
  rect,
  render,
  roundedRect,
  shield,
  union,
  type Layer,
  type Rgba,
} from './glyph.ts';
import { encodePng } from './png.ts';

export type IconState = 'ok' | 'attention' | 'paused' | 'error';
export const ICON_STATES: readonly IconState[] = ['ok', 'attention', 'paused', 'error'];

const WHITE: Rgba = [255, 255, 255, 1];
const BLACK: Rgba = [0, 0, 0, 1];
const BLUE: Rgba = [37, 99, 235, 1];
const BADGE: Record<Exclude<IconState, 'ok'>, Rgba> = {
  attention: [245, 158, 11, 1],
  paused: [107, 114, 128, 1],
  error: [220, 38, 38, 1],
};

/** The app icon: a blue rounded square, a white shield, the gate cut into it. */
export function appIconLayers(): Layer[] {
  const background = roundedRect(0.08, 0.08, 0.92, 0.92, 0.2);
  const top: Rgba = [59, 130, 246, 1];
  const bottom: Rgba = [30, 64, 175, 1];
  const gradient = (_x: number, y: number): Rgba => {
    const t = Math.min(1, Math.max(0, (y - 0.08) / 0.84));
    return [
      top[0] + (bottom[0] - top[0]) * t,
      top[1] + (bottom[1] - top[1]) * t,
      top[2] + (bottom[2] - top[2]) * t,
      1,
    ];
  };
  const body = shield(0.27, 0.2, 0.73, 0.84);
  const gate = arch(0.5, 0.4, 0.1, 0.72);
  return [
    { shape: background, color: gradient },
    { shape: minus(body, gate), color: WHITE },
  ];
}

/** The badge area of a tray icon (bottom right), cleared with a margin so the badge stands apart. */
const BADGE_CENTRE = [0.76, 0.76] as const;
function badgeShape(state: Exclude<IconState, 'ok'>): ReturnType<typeof circle> {
  const [cx, cy] = BADGE_CENTRE;
  switch (state) {
    case 'attention':
      return circle(cx, cy, 0.21);
    case 'paused':
      return union(
        rect(cx - 0.17, cy - 0.2, cx - 0.05, cy + 0.2),
        rect(cx + 0.05, cy - 0.2, cx + 0.17, cy + 0.2),
      );
    case 'error':
      return union(
        bar(cx - 0.16, cy - 0.16, cx + 0.16, cy + 0.16, 0.11),
        bar(cx - 0.16, cy + 0.16, cx + 0.16, cy - 0.16, 0.11),
      );
  }
}

/**
 * A tray icon: the shield with its gate, and for states other than ok a badge (dot, pause bars,
 * cross) in the bottom-right corner, cut out of the shield. `template`: black only (macOS tints it);
 * otherwise a blue shield and a coloured badge.
 */
export function trayLayers(state: IconState, template: boolean): Layer[] {
  const body = shield(0.1, 0.04, 0.9, 0.98);
  const gate = arch(0.5, 0.32, 0.16, 0.8);
  const layers: Layer[] = [{ shape: minus(body, gate), color: template ? BLACK : BLUE }];
  if (state !== 'ok') {
    const [cx, cy] = BADGE_CENTRE;
    layers.push({ shape: circle(cx, cy, 0.3), color: 'clear' });
    layers.push({ shape: badgeShape(state), color: template ? BLACK : BADGE[state] });
  }
  return layers;
}

const png = (size: number, layers: Layer[]) =>
  encodePng(size, size, render(size, layers, size >= 512 ? 2 : 4));

const TEMPLATE_NAMES: Record<IconState, string> = {
  ok: 'trayTemplate',
  attention: 'trayAttentionTemplate',
  paused: 'trayPausedTemplate',
  error: 'trayErrorTemplate',
};

/** Every generated file, by path relative to build/. */
export function generateIcons(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const app = appIconLayers();
  const appPngs = new Map<number, Buffer>();
  const appPng = (size: number) => {
    let file = appPngs.get(size);
    if (!file) {
      file = png(size, app);
      appPngs.set(size, file);
    }
    return file;
  };
  files.set('icon.png', appPng(1024));
  files.set(
    'icon.ico',
    encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: appPng(size) }))),
  );
  files.set('icon.icns', encodeIcns(appPng));
  for (const state of ICON_STATES) {
    const template = trayLayers(state, true);
    files.set(`tray/${TEMPLATE_NAMES[state]}.png`, png(16, template));
    files.set(`tray/${TEMPLATE_NAMES[state]}@2x.png`, png(32, template));
    const colour = trayLayers(state, false);
    files.set(`tray/tray-${state}.png`, png(24, colour));
    files.set(`tray/tray-${state}@2x.png`, png(48, colour));
    files.set(
      `tray/tray-${state}.ico`,
      encodeIco([16, 20, 24, 32, 40, 48].map((size) => ({ size, png: png(size, colour) }))),
    );
  }
  return files;
}

/** Writes the icons under `buildDir`. */
export function writeIcons(buildDir: string): string[] {
  const written: string[] = [];
  for (const [name, data] of generateIcons()) {
    const file = path.join(buildDir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
    written.push(file);
  }
  return written;
}

if (import.meta.main) {
  const buildDir = path.resolve(import.meta.dirname, '..', '..', '..', 'build');
  for (const file of writeIcons(buildDir)) console.log(path.relative(process.cwd(), file));
}
