import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIcns, readIco } from './icons/containers.ts';
import { generateIcons, ICON_STATES } from './icons/generate-icons.ts';
import { decodePng, encodePng } from './icons/png.ts';

const BUILD = path.resolve(import.meta.dirname, '..', '..', 'build');
const read = (name: string) => fs.readFileSync(path.join(BUILD, name));

describe('generated icons', () => {
  it('encodes PNGs that decode to the same pixels', () => {
    const rgba = new Uint8Array(3 * 2 * 4).map((_, i) => (i * 37) % 256);
    expect(decodePng(encodePng(3, 2, rgba))).toEqual({ width: 3, height: 2, rgba });
  });

  it('build/ holds exactly what the generator makes (run test/packaging/icons/generate-icons.ts after changing it)', () => {
    for (const [name, data] of generateIcons()) {
      const committed = read(name);
      if (name.endsWith('.png')) expect(decodePng(committed), name).toEqual(decodePng(data));
      else expect(committed.length, name).toBeGreaterThan(0);
    }
  });

  it('the app icon is a 1024 px PNG, an ICO up to 256 px and an ICNS up to 1024 px', () => {
    const png = decodePng(read('icon.png'));
    expect([png.width, png.height]).toEqual([1024, 1024]);
    const ico = readIco(read('icon.ico'));
    expect(ico.map((entry) => entry.size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const entry of ico) expect(decodePng(entry.png).width).toBe(entry.size);
    const icns = readIcns(read('icon.icns'));
    expect(icns.map((element) => element.type)).toEqual(
      expect.arrayContaining(['icp4', 'ic07', 'ic08', 'ic09', 'ic10', 'ic14']),
    );
    expect(decodePng(icns.find((element) => element.type === 'ic10')!.data).width).toBe(1024);
  });

  it('has tray icons per state: macOS templates (black + alpha) with @2x, Windows ICO, Linux PNG with @2x', () => {
    const template = {
      ok: 'trayTemplate',
      attention: 'trayAttentionTemplate',
      paused: 'trayPausedTemplate',
      error: 'trayErrorTemplate',
    };
    for (const state of ICON_STATES) {
      const mac = decodePng(read(`tray/${template[state]}.png`));
      expect([mac.width, decodePng(read(`tray/${template[state]}@2x.png`)).width]).toEqual([16, 32]);
      for (let i = 0; i < mac.rgba.length; i += 4) {
        if ((mac.rgba[i + 3] ?? 0) > 0)
          expect([mac.rgba[i], mac.rgba[i + 1], mac.rgba[i + 2]]).toEqual([0, 0, 0]);
      }
      expect(readIco(read(`tray/tray-${state}.ico`)).map((entry) => entry.size)).toEqual([
        16, 20, 24, 32, 40, 48,
      ]);
      expect(decodePng(read(`tray/tray-${state}.png`)).width).toBe(24);
      expect(decodePng(read(`tray/tray-${state}@2x.png`)).width).toBe(48);
    }
    // The states look different, not only in colour: the template images differ.
    const shapes = new Set(
      ICON_STATES.map((state) => read(`tray/${template[state]}.png`).toString('base64')),
    );
    expect(shapes.size).toBe(4);
  });
});
