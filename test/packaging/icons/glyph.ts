/**
 * The Gatehouse glyph, drawn in code: a shield with an arched gate cut into it. Shapes are tests on a
 * point in the unit square (0..1, y down); {@link render} supersamples them into anti-aliased RGBA.
 */

/** A shape: is the point (x, y) inside? */
export type Shape = (x: number, y: number) => boolean;
/** Red, green, blue (0–255) and alpha (0–1). */
export type Rgba = readonly [number, number, number, number];

/** A layer paints a colour where its shape is (and `clear` punches a transparent hole). */
export interface Layer {
  shape: Shape;
  color: Rgba | 'clear' | ((x: number, y: number) => Rgba);
}

export const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((shape) => shape(x, y));
export const minus =
  (shape: Shape, hole: Shape): Shape =>
  (x, y) =>
    shape(x, y) && !hole(x, y);
export const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
export const rect =
  (x0: number, y0: number, x1: number, y1: number): Shape =>
  (x, y) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;

/** A rectangle with rounded corners. */
export function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

/** A bar of width `w` from (x0, y0) to (x1, y1) (for the error cross). */
export function bar(x0: number, y0: number, x1: number, y1: number, w: number): Shape {
  return (x, y) => {
    const dx = x1 - x0;
    const dy = y1 - y0;
    const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)));
    return (x - (x0 + t * dx)) ** 2 + (y - (y0 + t * dy)) ** 2 <= (w / 2) ** 2;
  };
}

/** A shield in the box (left, top)-(right, bottom): straight sides, then a curve to a point. */
export function shield(left: number, top: number, right: number, bottom: number): Shape {
  const mid = (left + right) / 2;
  const half = (right - left) / 2;
  const shoulder = top + (bottom - top) * 0.45;
  return (x, y) => {
    if (y < top || y > bottom) return false;
    if (y <= shoulder) return Math.abs(x - mid) <= half;
    const t = (y - shoulder) / (bottom - shoulder);
    return Math.abs(x - mid) <= half * (1 - t * t);
  };
}

/** An arched doorway: a rectangle under a half circle. */
export function arch(cx: number, top: number, halfWidth: number, bottom: number): Shape {
  const springLine = top + halfWidth;
  return union(circle(cx, springLine, halfWidth), rect(cx - halfWidth, springLine, cx + halfWidth, bottom));
}

/** Renders layers (bottom first) at `size` x `size` with `samples`² samples per pixel. */
export function render(size: number, layers: Layer[], samples = 4): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          let colour: Rgba = [0, 0, 0, 0];
          for (const layer of layers) {
            if (!layer.shape(x, y)) continue;
            colour =
              layer.color === 'clear'
                ? [0, 0, 0, 0]
                : typeof layer.color === 'function'
                  ? layer.color(x, y)
                  : layer.color;
          }
          // Premultiplied accumulation, so transparent samples do not darken edges.
          r += colour[0] * colour[3];
          g += colour[1] * colour[3];
          b += colour[2] * colour[3];
          a += colour[3];
        }
      }
      const i = (py * size + px) * 4;
      const n = samples * samples;
      out[i] = a > 0 ? Math.round(r / a) : 0;
      out[i + 1] = a > 0 ? Math.round(g / a) : 0;
      out[i + 2] = a > 0 ? Math.round(b / a) : 0;
      out[i + 3] = Math.round((a / n) * 255);
    }
  }
  return out;
}
