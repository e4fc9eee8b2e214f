import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bridgeEntry,
  currentLauncher,
  gatehouseLauncher,
  gatehouseScript,
} from '../../../electron/main/connections/bridge-launch.ts';
import {
  entryName,
  gatehouseTarget,
  serverNameFor,
} from '../../../electron/main/connections/gatehouse-entries.ts';
import { clientSpecs } from '../../../electron/main/connections/client-specs.ts';

describe('how Claude Desktop starts the bridge', () => {
  it('runs the gatehouse entry with the absolute path of the running Node', () => {
    expect(gatehouseLauncher({ execPath: '/opt/node/bin/node', script: '/app/gatehouse.ts' })).toEqual({
      command: '/opt/node/bin/node',
      args: ['/app/gatehouse.ts'],
    });
  });

  it('runs the desktop app binary with --cli (never as plain Node: the RunAsNode fuse is off)', () => {
    expect(
      gatehouseLauncher({ execPath: 'C:\\Program Files\\Gatehouse\\Gatehouse.exe', electron: {} }),
    ).toEqual({ command: 'C:\\Program Files\\Gatehouse\\Gatehouse.exe', args: ['--cli'] });
    // An AppImage is started through its image, not the temporary mount the binary runs from.
    expect(
      gatehouseLauncher({
        execPath: '/tmp/.mount_GatehX/gatehouse',
        electron: { appImage: '/home/me/Gatehouse.AppImage' },
      }),
    ).toEqual({ command: '/home/me/Gatehouse.AppImage', args: ['--cli'] });
    // An unpackaged Electron (a checkout) needs the app folder first.
    expect(gatehouseLauncher({ execPath: '/x/electron', electron: { appPath: '/src/gatehouse' } })).toEqual({
      command: '/x/electron',
      args: ['/src/gatehouse', '--cli'],
    });
  });

  it('finds the package.json bin entry of this checkout', () => {
    const script = gatehouseScript()!;
    expect(path.isAbsolute(script)).toBe(true);
    expect(fs.existsSync(script)).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.resolve(script, '../../../../package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(path.resolve(script, '../../../..', pkg.bin.gatehouse!)).toBe(script);
    expect(currentLauncher()).toEqual({ command: process.execPath, args: [script] });
    // From the bundled desktop app's folder too, and not at all outside the package.
    expect(gatehouseScript(path.resolve(script, '../../../../out/main'))).toBe(script);
    expect(gatehouseScript(os.tmpdir())).toBeUndefined();
  });

  it('names the server (or --all), the client and a non-default data folder, never a token', () => {
    const launcher = { command: '/n', args: ['/g.ts'] };
    expect(bridgeEntry(launcher, { client: 'claude-desktop' })).toEqual({
      command: '/n',
      args: ['/g.ts', 'bridge', '--all', '--client', 'claude-desktop'],
    });
    expect(bridgeEntry(launcher, { client: 'claude-desktop', server: 'github', dataDir: '/d' }).args).toEqual(
      ['/g.ts', 'bridge', 'github', '--client', 'claude-desktop', '--data-dir', '/d'],
    );
  });
});

describe('recognising entries Gatehouse wrote', () => {
  const cursor = clientSpecs.cursor;

  it('needs the gatehouse name and an entry pointing at the local gateway', () => {
    expect(entryName()).toBe('gatehouse');
    expect(entryName('github')).toBe('gatehouse-github');
    expect(gatehouseTarget(cursor, 'gatehouse', { url: 'http://127.0.0.1:7337/mcp' })).toBeNull();
    expect(gatehouseTarget(cursor, 'gatehouse-gh', { url: 'http://localhost:9/mcp/gh' })).toBe('gh');
    expect(
      gatehouseTarget(cursor, 'gatehouse', { url: 'https://gatehouse.example.com/mcp' }),
    ).toBeUndefined();
    expect(gatehouseTarget(cursor, 'github', { url: 'http://127.0.0.1:7337/mcp/github' })).toBeUndefined();
    expect(
      gatehouseTarget(clientSpecs['claude-desktop'], 'gatehouse', {
        command: '/n',
        args: ['/g.ts', 'bridge', '--all', '--client', 'claude-desktop'],
      }),
    ).toBeNull();
  });

  it('turns an adopted entry name into a free server name', () => {
    expect(serverNameFor('My Linear', new Set())).toBe('my-linear');
    expect(serverNameFor('linear', new Set(['linear', 'linear-2']))).toBe('linear-3');
    expect(serverNameFor('***', new Set())).toBe('server');
  });
});
