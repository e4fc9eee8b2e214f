/**
 * `npm start`: builds the app with electron-vite, obtains the Electron runtime, and runs the desktop app.
 * Runs under plain Node 24 (the project's own), never inside Electron. Electron 45 downloads its
 * runtime on first use; where that is impossible (offline, GitHub blocked) this says so plainly and
 * points to `npm run serve`, instead of a stack trace or a hang.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
/** Long enough for a ~100 MB download on a slow link; a dead network fails far sooner. */
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

/** A step that failed, with what to tell the person. */
class StartError extends Error {
  readonly step: 'build' | 'runtime';

  constructor(step: 'build' | 'runtime', message: string) {
    super(message);
    this.step = step;
  }
}

function build(): void {
  const cli = path.join(
    path.dirname(require.resolve('electron-vite/package.json')),
    'bin',
    'electron-vite.js',
  );
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new StartError(
      'build',
      `building the app (electron-vite build) failed with exit code ${result.status}`,
    );
  }
}

/** Runs Electron's own installer (a no-op when the runtime is there), bounded in time. */
function electronBinary(): string {
  const pkg = require('electron/package.json') as { version: string };
  if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    console.log(`Checking for the Electron ${pkg.version} runtime (the first start downloads it, ~100 MB)…`);
    const install = spawnSync(process.execPath, [require.resolve('electron/install.js')], {
      cwd: root,
      encoding: 'utf8',
      timeout: DOWNLOAD_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (install.error || install.status !== 0) {
      const detail = install.error?.message.includes('ETIMEDOUT')
        ? `no answer within ${DOWNLOAD_TIMEOUT_MS / 60_000} minutes`
        : firstLine(install.stderr) || install.error?.message || `exit code ${install.status}`;
      throw new StartError(
        'runtime',
        `downloading the Electron ${pkg.version} runtime from GitHub failed (${detail})`,
      );
    }
  }
  // With the runtime installed, `require('electron')` returns its path without downloading.
  const binary = require('electron') as unknown;
  if (typeof binary !== 'string' || !fs.existsSync(binary)) {
    throw new StartError('runtime', `the Electron runtime was not found at ${String(binary)}`);
  }
  return binary;
}

function firstLine(text: string | undefined): string {
  return (
    (text ?? '')
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? ''
  );
}

function run(binary: string): void {
  const env = { ...process.env };
  // Set by some tools; it would make Electron behave as plain Node and ignore the app.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [root, ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`gatehouse: could not run Electron (${binary}): ${error.message}`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

function explain(error: StartError): void {
  console.error(
    [
      '',
      'gatehouse: the desktop app could not start.',
      `  What failed: ${error.message}.`,
      '  The desktop app (tray and windows) needs the Electron runtime, which Electron downloads from',
      '  GitHub on first start; here it could not be obtained (offline, or GitHub is blocked).',
      '  The same gateway runs without a desktop:',
      '',
      '    npm run serve',
      '',
      '  (headless, with the same pages in your browser: it prints the link). Or set ELECTRON_OVERRIDE_DIST_PATH to a',
      '  folder holding an Electron runtime, or ELECTRON_MIRROR to a reachable mirror, and run npm start again.',
      '',
    ].join('\n'),
  );
}

try {
  build();
  run(electronBinary());
} catch (error) {
  if (!(error instanceof StartError)) throw error;
  if (error.step === 'build') {
    console.error(`gatehouse: ${error.message}.`);
  } else {
    explain(error);
  }
  process.exitCode = 1;
}
