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
 * which does not use the login shell's PATH) finds it. `execPath` is the running runtime: Node 24 for
 * the command line and `gatehouse serve` (which runs the TypeScript entry directly), or the desktop
 * app's own binary, which Electron runs as plain Node when `ELECTRON_RUN_AS_NODE=1`.
 */
export function gatehouseLauncher(ctx: { execPath: string; script: string; electron: boolean }): Launcher {
  return {
    command: ctx.execPath,
    args: [ctx.script],
    ...(ctx.electron ? { env: { ELECTRON_RUN_AS_NODE: '1' } } : {}),
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
  const script = gatehouseScript();
  if (!script) return undefined;
  return gatehouseLauncher({
    execPath: process.execPath,
    script,
    electron: process.versions.electron !== undefined,
  });
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
