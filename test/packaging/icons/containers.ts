/** ICO and ICNS containers around PNG images (both formats accept PNG entries). */

/** A Windows `.ico` with one PNG entry per size (Windows Vista and later read PNG entries). */
export function encodeIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size; // 0 means 256
    entry[1] = size >= 256 ? 0 : size;
    entry[2] = 0; // no palette
    entry[3] = 0;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    entries.push(entry);
    offset += png.length;
  }
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}

/** Reads an ICO's directory: each entry's pixel size and PNG data. */
export function readIco(file: Buffer): { size: number; png: Buffer }[] {
  const count = file.readUInt16LE(4);
  return Array.from({ length: count }, (_, index) => {
    const entry = 6 + index * 16;
    const size = file[entry] === 0 ? 256 : (file[entry] ?? 0);
    const length = file.readUInt32LE(entry + 8);
    const offset = file.readUInt32LE(entry + 12);
    return { size, png: file.subarray(offset, offset + length) };
  });
}

/** ICNS element types holding PNG data, by pixel size (the @2x types reuse the larger pixel sizes). */
export const ICNS_TYPES: readonly [type: string, pixels: number][] = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

/** A macOS `.icns` with PNG elements; `pngFor(pixels)` supplies the image of each size. */
export function encodeIcns(pngFor: (pixels: number) => Buffer): Buffer {
  const elements = ICNS_TYPES.map(([type, pixels]) => {
    const png = pngFor(pixels);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(elements);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

/** Reads an ICNS file's element types and data. */
export function readIcns(file: Buffer): { type: string; data: Buffer }[] {
  if (file.toString('ascii', 0, 4) !== 'icns' || file.readUInt32BE(4) !== file.length) {
    throw new Error('not an ICNS file');
  }
  const elements: { type: string; data: Buffer }[] = [];
  for (let offset = 8; offset < file.length;) {
    const length = file.readUInt32BE(offset + 4);
    elements.push({
      type: file.toString('ascii', offset, offset + 4),
      data: file.subarray(offset + 8, offset + length),
    });
    offset += length;
  }
  return elements;
}
