import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadTrayIcon, trayIconDir, trayIconFile } from '../../../electron/main/app/tray-icon.ts';
import { TRAY_STATES } from '../../../electron/main/app/tray-state.ts';

vi.mock('electron', () => {
  throw new Error('tray-icon takes nativeImage as an argument');
});

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');

describe('tray icons', () => {
  it('come from resources/tray when packaged and build/tray when run from a build', () => {
    expect(
      trayIconDir({ mainDir: path.join(REPO, 'out', 'main'), isPackaged: false, resourcesPath: '/x' }),
    ).toBe(path.join(REPO, 'build', 'tray'));
    expect(
      trayIconDir({
        mainDir: '/opt/Gatehouse/resources/app.asar/out/main',
        isPackaged: true,
        resourcesPath: '/opt/Gatehouse/resources',
      }),
    ).toBe(path.join('/opt/Gatehouse/resources', 'tray'));
  });

  it('exist for every state on every platform', () => {
    const dir = path.join(REPO, 'build', 'tray');
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const state of TRAY_STATES)
        expect(fs.existsSync(trayIconFile(dir, state, platform)), `${platform} ${state}`).toBe(true);
    }
    expect(trayIconFile(dir, 'ok', 'darwin')).toBe(path.join(dir, 'trayTemplate.png'));
    expect(trayIconFile(dir, 'error', 'win32')).toBe(path.join(dir, 'tray-error.ico'));
    expect(trayIconFile(dir, 'paused', 'linux')).toBe(path.join(dir, 'tray-paused.png'));
  });

  it('are template images on macOS, and fall back to an embedded glyph when a file is missing', () => {
    const image = (empty: boolean) => ({
      isEmpty: () => empty,
      setTemplateImage: vi.fn(),
      addRepresentation: vi.fn(),
    });
    const found = image(false);
    const fallback = image(false);
    const nativeImage = {
      createFromPath: vi.fn((file: string) => (file.includes('missing') ? image(true) : found)),
      createFromDataURL: vi.fn(() => fallback),
    };
    const api = nativeImage as unknown as Parameters<typeof loadTrayIcon>[0];
    expect(loadTrayIcon(api, '/res/tray', 'attention', 'darwin')).toBe(found);
    expect(nativeImage.createFromPath).toHaveBeenCalledWith(
      path.join('/res/tray', 'trayAttentionTemplate.png'),
    );
    expect(found.setTemplateImage).toHaveBeenCalledWith(true);
    expect(loadTrayIcon(api, '/missing', 'ok', 'linux')).toBe(fallback);
    expect(fallback.addRepresentation).toHaveBeenCalled();
    expect(fallback.setTemplateImage).not.toHaveBeenCalled();
  });
});
