import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How a client starts the `gatehouse` command: an absolute program, its leading arguments, its env. */
export interface Launcher {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/**
 * The `gatehouse` command as an absolute program path, so a client that launches it (Claude Desktop,
 * which does not use the login shell's PATH) finds it. Under Node (the command line, `gatehouse
 * serve`) it is Node 24 running the TypeScript entry. Inside the desktop app it is the app binary with
 * `--cli` (app/headless-mode.ts): the RunAsNode fuse is off in packaged builds, so the binary never
 * runs as plain Node; `appPath` is the app folder an unpackaged Electron needs first; an AppImage is
 * launched through its image file, not the temporary mount `execPath` points into.
 */
export function gatehouseLauncher(
  ctx:
    | { execPath: string; script: string }
    | { execPath: string; electron: { appPath?: string; appImage?: string } },
): Launcher {
  if ('script' in ctx) return { command: ctx.execPath, args: [ctx.script] };
  const { appPath, appImage } = ctx.electron;
  return {
    command: appImage ?? ctx.execPath,
    args: [...(appPath !== undefined ? [appPath] : []), '--cli'],
  };
}

/**
 * The entry of the `gatehouse` command: package.json `bin.gatehouse` of the Gatehouse package this
 * module belongs to (found by walking up, so it also works from the bundled desktop app in a checkout).
 * Undefined when the entry is not on disk (a packaged app that ships no command line).
 */
export function gatehouseScript(from = path.dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        bin?: { gatehouse?: unknown };
      };
      if (pkg.name === 'gatehouse' && typeof pkg.bin?.gatehouse === 'string') {
        const script = path.resolve(dir, pkg.bin.gatehouse);
        return fs.existsSync(script) ? script : undefined;
      }
    } catch {
      // no package.json here: keep walking up
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The launcher for this process; undefined when the `gatehouse` entry is not on disk. */
export function currentLauncher(): Launcher | undefined {
  if (process.versions.electron !== undefined) {
    const appPath = process.defaultApp && process.argv[1] ? path.resolve(process.argv[1]) : undefined;
    const appImage = process.env.APPIMAGE;
    return gatehouseLauncher({
      execPath: process.execPath,
      electron: { ...(appPath ? { appPath } : {}), ...(appImage ? { appImage } : {}) },
    });
  }
  const script = gatehouseScript();
  if (!script) return undefined;
  return gatehouseLauncher({ execPath: process.execPath, script });
}

/**
 * The stdio entry that runs `gatehouse bridge` for a client: `--all` (the aggregated `/mcp`) or one
 * server, always with `--client` (whose token the bridge reads from the data folder, never from the
 * command line) and `--data-dir` when the data folder is not the default one.
 */
export function bridgeEntry(
  launcher: Launcher,
  options: { server?: string; client: string; dataDir?: string },
): Launcher {
  return {
    command: launcher.command,
    args: [
      ...launcher.args,
      'bridge',
      ...(options.server ? [options.server] : ['--all']),
      '--client',
      options.client,
      ...(options.dataDir ? ['--data-dir', options.dataDir] : []),
    ],
    ...(launcher.env ? { env: launcher.env } : {}),
  };
}
