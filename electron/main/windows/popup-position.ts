/** A rectangle in screen coordinates (Electron's `Rectangle`). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The approval popup's size: small enough to sit by the tray, big enough for one approval. */
export const POPUP_SIZE = Object.freeze({ width: 380, height: 520 });

/** Space between the tray icon (or the screen edge) and the popup. */
const GAP = 8;

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, Math.max(min, max)));
}

function centred(workArea: Rect, size: { width: number; height: number }): { x: number; y: number } {
  return {
    x: Math.round(workArea.x + (workArea.width - size.width) / 2),
    y: Math.round(workArea.y + (workArea.height - size.height) / 2),
  };
}

/** Linux panels often report no tray position: zero bounds, or none at all. */
function isKnown(bounds: Rect | undefined): bounds is Rect {
  return bounds !== undefined && bounds.width > 0 && bounds.height > 0;
}

/**
 * Where the approval popup goes: next to the tray icon, on the side facing the rest of the screen
 * (below a top menu bar, above a bottom taskbar, beside a vertical taskbar), kept inside the work
 * area; centred in the work area where the tray position is unknown. Pure, so it is tested without
 * Electron.
 */
export function popupPosition(
  trayBounds: Rect | undefined,
  workArea: Rect,
  size: { width: number; height: number } = POPUP_SIZE,
): { x: number; y: number } {
  if (!isKnown(trayBounds)) return centred(workArea, size);
  const right = workArea.x + workArea.width;
  const bottom = workArea.y + workArea.height;
  const trayCentreX = trayBounds.x + trayBounds.width / 2;
  const trayCentreY = trayBounds.y + trayBounds.height / 2;
  let x: number;
  let y: number;
  if (trayBounds.x >= right) {
    // A taskbar on the right: the popup to the tray's left.
    x = trayBounds.x - size.width - GAP;
    y = trayCentreY - size.height / 2;
  } else if (trayBounds.x + trayBounds.width <= workArea.x) {
    // A taskbar on the left.
    x = trayBounds.x + trayBounds.width + GAP;
    y = trayCentreY - size.height / 2;
  } else {
    x = trayCentreX - size.width / 2;
    const inUpperHalf = trayCentreY < workArea.y + workArea.height / 2;
    y = inUpperHalf ? trayBounds.y + trayBounds.height + GAP : trayBounds.y - size.height - GAP;
  }
  return {
    x: Math.round(clamp(x, workArea.x + GAP, right - size.width - GAP)),
    y: Math.round(clamp(y, workArea.y + GAP, bottom - size.height - GAP)),
  };
}
