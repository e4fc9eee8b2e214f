import fs from 'node:fs';
import path from 'node:path';

const HERE = import.meta.dirname;
/**
 * The app's root: the checkout when this runs from source (electron/main/headless/web-ui/), or the
 * app folder (e.g. app.asar) when it runs bundled into out/main/index.js by the desktop app's
 * `--cli serve`. Both have the built renderer at out/renderer.
 */
const ROOT =
  path.basename(HERE) === 'main' && path.basename(path.dirname(HERE)) === 'out'
    ? path.resolve(HERE, '../..')
    : path.resolve(HERE, '../../../..');

/** Where electron-vite puts the built renderer (electron.vite.config.ts). */
export function defaultRendererDir(): string {
  return path.join(ROOT, 'out/renderer');
}

/** What the renderer bundle is built from: a change to any of these makes the build stale. */
const INPUTS = [
  'renderer',
  'shared',
  'electron.vite.config.ts',
  'electron/main/windows/csp.ts',
  'package-lock.json',
];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    if (child === 'node_modules' || child.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

/** Why the built renderer needs (re)building, or undefined when it is up to date. */
export function rendererStaleReason(root = ROOT): string | undefined {
  const index = fs.statSync(path.join(root, 'out/renderer/index.html'), { throwIfNoEntry: false });
  if (!index) return 'not built yet';
  const newest = Math.max(...INPUTS.map((input) => newestMtime(path.join(root, input))));
  return newest > index.mtimeMs ? 'sources changed since the last build' : undefined;
}

/**
 * Builds only the renderer with the project's electron-vite config (main and preload are the desktop
 * app's, not needed by `gatehouse serve`). The output's mtime is set back to when the build started,
 * so a source saved during the build still counts as newer.
 */
export async function buildRenderer(root = ROOT): Promise<void> {
  const started = new Date();
  process.env.NODE_ENV_ELECTRON_VITE = 'production';
  const { resolveConfig } = await import('electron-vite');
  const { build } = await import('vite');
  const resolved = await resolveConfig({ root, logLevel: 'warn' }, 'build', 'production');
  const renderer = resolved.config?.renderer;
  if (!renderer) throw new Error('electron.vite.config.ts has no renderer build');
  await build(renderer);
  fs.utimesSync(path.join(root, 'out/renderer/index.html'), started, started);
}

/** True while the process that took the build lock still runs (a killed build leaves its lock behind). */
function lockHolderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    // Just created, pid not written yet; treat as alive unless it has been like this for a while.
    const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    return age < 10_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Builds the renderer when it is missing or stale. Several processes may ask at once (test files,
 * `npm run serve` twice): one builds under a lock directory, the others wait for it and re-check.
 */
export async function ensureRendererBuilt(
  options: { root?: string; log?: (line: string) => void } = {},
): Promise<'fresh' | 'built'> {
  const root = options.root ?? ROOT;
  const lock = path.join(root, 'out/.renderer-build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    const reason = rendererStaleReason(root);
    if (!reason) return 'fresh';
    try {
      fs.mkdirSync(lock);
    } catch {
      if (!lockHolderAlive(lock)) fs.rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    try {
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      // Re-check under the lock: another process may have just finished.
      const still = rendererStaleReason(root);
      if (!still) return 'fresh';
      options.log?.(`Building the web UI (${still})…`);
      await buildRenderer(root);
      return 'built';
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}
