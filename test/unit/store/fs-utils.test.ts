import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../electron/main/store/fs-utils.ts';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-fs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes text as UTF-8 and bytes exactly, replacing the file and leaving no temporary file', () => {
    const file = path.join(dir, 'f');
    writeFileAtomic(file, 'héllo\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('héllo\n');
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a, 0xff, 0xfe, 0x00, 0x80]);
    writeFileAtomic(file, bytes);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    writeFileAtomic(file, new Uint8Array(bytes.buffer, bytes.byteOffset + 3, 4));
    expect([...fs.readFileSync(file)]).toEqual([0x61, 0x0d, 0x0a, 0xff]);
    writeFileAtomic(file, '');
    expect(fs.readFileSync(file).length).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['f']);
  });

  it.skipIf(process.platform === 'win32')(
    'gives the file exactly the mode asked for, whatever the umask',
    () => {
      const file = path.join(dir, 'f');
      writeFileAtomic(file, 'x');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const previous = process.umask(0o077);
      try {
        writeFileAtomic(file, 'x', 0o664);
      } finally {
        process.umask(previous);
      }
      expect(fs.statSync(file).mode & 0o777).toBe(0o664);
    },
  );

  it('removes its temporary file when the rename fails', () => {
    const target = path.join(dir, 'taken');
    fs.mkdirSync(path.join(target, 'inside'), { recursive: true }); // a non-empty folder cannot be replaced
    expect(() => writeFileAtomic(target, 'x')).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['taken']);
  });
});
