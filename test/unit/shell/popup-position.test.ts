import { describe, expect, it } from 'vitest';
import { popupPosition, POPUP_SIZE } from '../../../electron/main/windows/popup-position.ts';

const size = POPUP_SIZE; // 380 x 520

describe('popupPosition', () => {
  it('centres in the work area where the tray position is unknown (most Linux panels)', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(popupPosition(undefined, workArea)).toEqual({ x: 770, y: 280 });
    expect(popupPosition({ x: 0, y: 0, width: 0, height: 0 }, workArea)).toEqual({ x: 770, y: 280 });
  });

  it('macOS: below a menu bar icon, centred on it', () => {
    const workArea = { x: 0, y: 25, width: 1440, height: 875 };
    const tray = { x: 1000, y: 0, width: 22, height: 24 };
    expect(popupPosition(tray, workArea, size)).toEqual({ x: 821, y: 25 + 8 });
  });

  it('keeps the popup inside the work area near a corner', () => {
    const workArea = { x: 0, y: 25, width: 1440, height: 875 };
    const tray = { x: 1400, y: 0, width: 22, height: 24 };
    const { x } = popupPosition(tray, workArea, size);
    expect(x).toBe(1440 - 380 - 8);
  });

  it('Windows: above a bottom taskbar icon', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
    const tray = { x: 1700, y: 1045, width: 24, height: 30 };
    expect(popupPosition(tray, workArea, size)).toEqual({ x: 1522, y: 1040 - 520 - 8 });
  });

  it('beside a vertical taskbar (left or right)', () => {
    const right = { x: 0, y: 0, width: 1860, height: 1080 };
    expect(popupPosition({ x: 1870, y: 900, width: 24, height: 24 }, right, size)).toEqual({
      x: 1860 - 380 - 8,
      y: 1080 - 520 - 8,
    });
    const left = { x: 60, y: 0, width: 1860, height: 1080 };
    expect(popupPosition({ x: 10, y: 300, width: 24, height: 24 }, left, size)).toEqual({ x: 68, y: 52 });
  });

  it('works on a second display with negative coordinates', () => {
    const workArea = { x: -1280, y: 0, width: 1280, height: 984 };
    const tray = { x: -200, y: 990, width: 24, height: 34 };
    const { x, y } = popupPosition(tray, workArea, size);
    expect(x).toBeGreaterThanOrEqual(-1280);
    expect(x + size.width).toBeLessThanOrEqual(0);
    expect(y + size.height).toBeLessThanOrEqual(984);
    expect(y).toBe(984 - 520 - 8);
  });
});
