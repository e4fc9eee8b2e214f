/**
 * Packages the app for Linux with electron-builder `--dir` and checks what a release would contain.
 *
 * The real Electron zip cannot be downloaded here (toolchain.md), so `electronDist` points at a stub
 * distribution: an `electron` shell script that echoes its arguments and carries Electron's fuse
 * sentinel and fuse wire, so electron-builder's @electron/fuses step runs for real and the test reads the
 * flipped fuses back. `npmRebuild` is turned off for this build only: rebuilding better-sqlite3 for
 * Electron needs Electron's headers, another download. (better-sqlite3 13 ships N-API prebuilds, which
 * load in Electron as they are; release builds keep `npmRebuild: true`.)
 *
 * To stay away from other tests that use `out/` at the same time, the app is built (electron-vite) and
 * packaged in a scratch project under test-results/: copies of the config files, links to the sources,
 * and a hard-linked copy of node_modules (electron-builder's dependency walk needs a real tree).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import asar from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../electron-builder.config.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** @electron/fuses FuseState values. */
const ENABLE = 49;
const DISABLE = 48;
/** FuseV1Options order: RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyAsar, V8Snapshot, FileProtocol. */
const FUSE_INDEX = {
  runAsNode: 0,
  enableCookieEncryption: 1,
  enableNodeOptionsEnvironmentVariable: 2,
  enableNodeCliInspectArguments: 3,
  enableEmbeddedAsarIntegrityValidation: 4,
  onlyLoadAppFromAsar: 5,
} as const;

let scratch: string;
let appDir: string;
let asarFiles: string[];

/** Hard-links a tree (falls back to copying across file systems); symlinks are recreated. */
function linkTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
    else if (entry.isDirectory()) linkTree(source, target);
    else {
      try {
        fs.linkSync(source, target);
      } catch {
        fs.copyFileSync(source, target);
      }
    }
  }
}

/** A stand-in Electron distribution: a script that prints its arguments, with a fuse wire inside. */
function stubElectronDist(dir: string): string {
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const script = Buffer.from('#!/bin/sh\necho "stub-electron $*"\nexit 0\n');
  // Version 1, 8 fuses, all "inherit" as Electron ships them: RunAsNode and friends on.
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('11110000')]);
  fs.writeFileSync(
    path.join(dir, 'electron'),
    Buffer.concat([script, Buffer.alloc(64), wire, Buffer.alloc(64)]),
    {
      mode: 0o755,
    },
  );
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'stub');
  fs.writeFileSync(
    path.join(dir, 'version'),
    (require('electron/package.json') as { version: string }).version,
  );
  return dir;
}

function run(args: string[], cwd: string): void {
  const result = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
  });
  if (result.status !== 0) {
    throw new Error(
      `${args.slice(0, 2).join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

beforeAll(() => {
  fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
  scratch = fs.mkdtempSync(path.join(ROOT, 'test-results', 'packaging-'));
  const project = path.join(scratch, 'project');
  fs.mkdirSync(project);
  for (const file of ['package.json', 'electron.vite.config.ts', 'electron-builder.config.ts']) {
    fs.copyFileSync(path.join(ROOT, file), path.join(project, file));
  }
  for (const link of ['electron', 'renderer', 'shared', 'build', 'tsconfig.base.json']) {
    fs.symlinkSync(path.join(ROOT, link), path.join(project, link));
  }
  linkTree(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
  const electronVite = path.join(
    path.dirname(require.resolve('electron-vite/package.json')),
    'bin',
    'electron-vite.js',
  );
  run([electronVite, 'build'], project);
  const builder = path.join(path.dirname(require.resolve('electron-builder/package.json')), 'cli.js');
  run(
    [
      builder,
      '--dir',
      '--linux',
      '--x64',
      '--projectDir',
      project,
      '--config',
      'electron-builder.config.ts',
      `-c.electronDist=${stubElectronDist(path.join(scratch, 'electron-dist'))}`,
      // Rebuilding native modules for Electron downloads its headers: not possible here (see above).
      '-c.npmRebuild=false',
      `-c.directories.output=${path.join(scratch, 'dist')}`,
    ],
    project,
  );
  appDir = path.join(scratch, 'dist', 'linux-unpacked');
  asarFiles = asar.listPackage(path.join(appDir, 'resources', 'app.asar'), { isPack: false });
}, 180_000);

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

const has = (file: string) => asarFiles.includes(file);
const topLevelModules = () =>
  new Set(
    asarFiles
      .map((file) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(file)?.[1])
      .filter((name): name is string => name !== undefined),
  );

describe('app.asar', () => {
  it('holds the built main, preloads and renderer, and package.json', () => {
    for (const file of [
      '/package.json',
      '/out/main/index.js',
      '/out/preload/settings.cjs',
      '/out/preload/popup.cjs',
      '/out/renderer/index.html',
    ]) {
      expect(has(file), file).toBe(true);
    }
    expect(asarFiles.some((file) => /^\/out\/renderer\/assets\/.+\.js$/.test(file))).toBe(true);
  });

  it('holds every production dependency (and theirs)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const modules = topLevelModules();
    for (const name of Object.keys(pkg.dependencies)) expect(modules.has(name), name).toBe(true);
    // A dependency of a dependency (the MCP SDK's).
    expect(modules.has('ajv')).toBe(true);
  });

  it('holds no sources, tests, docs, build files, source maps, TypeScript or dev dependencies', () => {
    const topLevel = new Set(asarFiles.map((file) => file.split('/')[1]));
    expect([...topLevel].sort()).toEqual(['node_modules', 'out', 'package.json']);
    expect(asarFiles.filter((file) => /\.(map|ts|tsx|mts|cts)$/.test(file))).toEqual([]);
    const modules = topLevelModules();
    for (const dev of [
      'electron',
      'electron-builder',
      'electron-vite',
      'vite',
      'vitest',
      'typescript',
      'eslint',
      'prettier',
      'playwright-core',
      'oidc-provider',
      'react',
      'react-dom',
      'node',
      '@electron/asar',
      '@modelcontextprotocol/server-everything',
      '@modelcontextprotocol/conformance',
    ]) {
      expect(modules.has(dev), dev).toBe(false);
    }
    // Nor bundled into the main process: the headless host's renderer build tools stay outside.
    expect(asarFiles.filter((file) => /^\/out\/main\/.*(vite|rolldown|postcss|jiti)/.test(file))).toEqual([]);
  });

  it('unpacks the native module, only for this platform, without its C++ sources', () => {
    const unpacked = path.join(appDir, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3');
    expect(fs.existsSync(path.join(unpacked, 'prebuilds', 'linux-x64.node'))).toBe(true);
    const prebuilds = fs.readdirSync(path.join(unpacked, 'prebuilds'));
    expect(prebuilds.filter((file) => !file.startsWith('linux-'))).toEqual([]);
    expect(fs.existsSync(path.join(unpacked, 'deps'))).toBe(false);
    expect(fs.existsSync(path.join(unpacked, 'src'))).toBe(false);
  });
});

describe('the packaged app', () => {
  it('has the Electron fuses flipped in its binary', () => {
    const binary = fs.readFileSync(path.join(appDir, 'gatehouse'));
    const at = binary.indexOf(SENTINEL) + SENTINEL.length;
    const fuse = (name: keyof typeof FUSE_INDEX) => binary[at + 2 + FUSE_INDEX[name]];
    expect(fuse('runAsNode')).toBe(DISABLE);
    expect(fuse('enableNodeOptionsEnvironmentVariable')).toBe(DISABLE);
    expect(fuse('enableNodeCliInspectArguments')).toBe(DISABLE);
    expect(fuse('enableCookieEncryption')).toBe(ENABLE);
    expect(fuse('enableEmbeddedAsarIntegrityValidation')).toBe(ENABLE);
    expect(fuse('onlyLoadAppFromAsar')).toBe(ENABLE);
  });

  it('ships the tray icons and the gatehouse launchers as resources', () => {
    const tray = fs.readdirSync(path.join(appDir, 'resources', 'tray'));
    for (const state of ['ok', 'attention', 'paused', 'error']) {
      expect(tray).toEqual(
        expect.arrayContaining([`tray-${state}.png`, `tray-${state}@2x.png`, `tray-${state}.ico`]),
      );
    }
    expect(tray).toEqual(expect.arrayContaining(['trayTemplate.png', 'trayTemplate@2x.png']));
    const launcher = path.join(appDir, 'resources', 'bin', 'gatehouse');
    expect(fs.statSync(launcher).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(path.join(appDir, 'resources', 'bin', 'gatehouse.cmd'), 'utf8')).toContain(
      '"%~dp0..\\..\\Gatehouse.exe" --cli %*',
    );
  });

  it('runs `gatehouse <args>` as the app binary with --cli, also through a link on PATH', () => {
    const launcher = path.join(appDir, 'resources', 'bin', 'gatehouse');
    const onPath = path.join(scratch, 'path-bin');
    fs.mkdirSync(onPath);
    fs.symlinkSync(launcher, path.join(onPath, 'gatehouse'));
    const env = { PATH: `${onPath}:${process.env.PATH ?? ''}`, DISPLAY: ':0', ELECTRON_RUN_AS_NODE: '1' };
    // As root, Chromium needs --no-sandbox to start at all (the command line loads no web content).
    const root = process.getuid?.() === 0 ? ' --no-sandbox' : '';
    const result = spawnSync('gatehouse', ['client', 'list', '--json'], { env, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(`stub-electron${root} --cli client list --json`);
    // Without a display, Chromium gets the headless platform (before --cli, which the app looks for).
    const headless = spawnSync(launcher, ['serve'], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(headless.stdout.trim()).toBe(`stub-electron --ozone-platform=headless${root} --cli serve`);
  });
});

describe('electron-builder config', () => {
  it('sets the fuses, app id, asar and native module handling', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.appId).toBe('app.gatehouse.desktop');
    expect(config.productName).toBe('Gatehouse');
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config.npmRebuild).toBe(true);
    expect(config.fileAssociations).toEqual([]);
    expect(config.protocols).toEqual([]);
  });

  it('macOS: dmg and zip, hardened runtime with entitlements, notarization, no Dock icon at launch', () => {
    const mac = config.mac!;
    const targets = (mac.target as { target: string }[]).map((t) => t.target);
    expect(targets).toEqual(['dmg', 'zip']);
    expect(mac.hardenedRuntime).toBe(true);
    expect(mac.notarize).toBe(true);
    expect(mac.extendInfo).toMatchObject({ LSUIElement: true });
    const entitlements = fs.readFileSync(path.join(ROOT, mac.entitlements!), 'utf8');
    expect(entitlements).toContain('<key>com.apple.security.cs.allow-jit</key>');
    expect(fs.existsSync(path.join(ROOT, mac.icon as string))).toBe(true);
  });

  it('Windows: a per-user NSIS installer; Linux: AppImage and deb in a category', () => {
    expect((config.win!.target as { target: string }[]).map((t) => t.target)).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ perMachine: false, oneClick: false, allowElevation: false });
    expect((config.linux!.target as { target: string }[]).map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(config.linux!.category).toBe('Utility');
    expect(config.linux!.executableName).toBe('gatehouse');
    for (const icon of [config.win!.icon, config.linux!.icon]) {
      expect(fs.existsSync(path.join(ROOT, icon as string))).toBe(true);
    }
  });

  it('has dist scripts that build first', () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const [name, flag] of [
      ['dist', ''],
      ['dist:mac', ' --mac'],
      ['dist:win', ' --win'],
      ['dist:linux', ' --linux'],
    ] as const) {
      expect(scripts[name]).toBe(
        `npm run build && electron-builder --config electron-builder.config.ts${flag}`,
      );
    }
  });
});
