import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, resolveStaticFile } from '../../../../electron/main/headless/web-ui/static-files.ts';

describe('static files of the web UI', () => {
  let root: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-static-'));
    fs.mkdirSync(path.join(root, 'dist/assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist/assets/index-Ab12Cd34.js'), 'x');
    fs.writeFileSync(path.join(root, 'dist/assets/plain.js'), 'x');
    fs.writeFileSync(path.join(root, 'dist/favicon.svg'), 'x');
    fs.writeFileSync(path.join(root, 'outside.txt'), 'x');
    fs.symlinkSync(path.join(root, 'outside.txt'), path.join(root, 'dist/escape.txt'));
    fs.symlinkSync(path.join(root, 'dist/favicon.svg'), path.join(root, 'dist/inside.svg'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each([
    ['a.html', 'text/html; charset=utf-8'],
    ['a.JS', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.woff2', 'font/woff2'],
    ['a.svg', 'image/svg+xml'],
    ['a.exe', 'application/octet-stream'],
    ['noext', 'application/octet-stream'],
  ])('%s is served as %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type);
  });

  it('marks only content-hashed build assets as cacheable for good', () => {
    const dist = path.join(root, 'dist');
    expect(resolveStaticFile(dist, 'assets/index-Ab12Cd34.js')).toMatchObject({ immutable: true, size: 1 });
    expect(resolveStaticFile(dist, 'assets/plain.js')).toMatchObject({ immutable: false });
    expect(resolveStaticFile(dist, 'favicon.svg')).toMatchObject({ immutable: false });
  });

  it('follows a symlink that stays inside, not one that leaves', () => {
    const dist = path.join(root, 'dist');
    expect(resolveStaticFile(dist, 'inside.svg')?.contentType).toBe('image/svg+xml');
    expect(resolveStaticFile(dist, 'escape.txt')).toBeUndefined();
  });

  it.each([
    '../outside.txt',
    '..%2Foutside.txt',
    'assets/..%2F..%2Foutside.txt',
    '%2e%2e/outside.txt',
    'assets%5C..%5C..%5Coutside.txt',
    'assets//plain.js',
    'assets/',
    'assets',
    '',
    '.hidden',
    'a%00b',
    '%E0%A4%A',
    'C:%5Cwindows',
  ])('refuses %j', (relative) => {
    expect(resolveStaticFile(path.join(root, 'dist'), relative)).toBeUndefined();
  });

  it('refuses everything when the folder does not exist', () => {
    expect(resolveStaticFile(path.join(root, 'missing'), 'index.html')).toBeUndefined();
  });
});
