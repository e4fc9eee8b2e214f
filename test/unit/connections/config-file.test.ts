import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backupConfigFile,
  readConfigFile,
  restoreConfigFile,
  writeConfigFile,
} from '../../../electron/main/connections/config-file.ts';

describe('client config files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cfg-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('restores a backup byte for byte, with its permissions, through a symlink', () => {
    const real = path.join(dir, 'dotfiles', 'mcp.json');
    fs.mkdirSync(path.dirname(real));
    const original = Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"a":1}\r\n'), 0xff, 0x0a]);
    fs.writeFileSync(real, original);
    fs.chmodSync(real, 0o640);
    const link = path.join(dir, 'mcp.json');
    fs.symlinkSync(real, link);

    const file = readConfigFile(link);
    expect(file.target).toBe(fs.realpathSync(real));
    const backup = backupConfigFile(file, new Date('2026-01-02T03:04:05Z'));
    writeConfigFile(file, '{"changed":true}\n');
    expect(fs.readFileSync(real, 'utf8')).toBe('{"changed":true}\n');

    restoreConfigFile(backup, readConfigFile(link));
    expect(fs.readFileSync(real).equals(original)).toBe(true);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    if (process.platform !== 'win32') expect(fs.statSync(real).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(path.dirname(real))).toEqual(['mcp.json']);
  });
});
