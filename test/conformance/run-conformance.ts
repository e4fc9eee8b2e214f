import { spawn } from 'node:child_process';
import path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const BIN_DIR = path.join(REPO_ROOT, 'node_modules/.bin');

/** Outcome of one `conformance server` run. */
export interface ConformanceRun {
  /** Exit code: 0 when nothing unexpected failed. */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the MCP conformance suite (`conformance server`, active suite) against `url`, writing
 * per-scenario `checks.json` files under `outDir`. With `node_modules/.bin` first on PATH the
 * suite runs on the project's Node 24. Pass a localhost URL so `dns-rebinding-protection` runs.
 * Note: with an expected-failures file, WARNING checks also count as failures.
 */
export function runConformance(
  url: string,
  outDir: string,
  expectedFailuresFile?: string,
  bearerToken?: string,
): Promise<ConformanceRun> {
  const args = ['server', '--url', url, '-o', outDir];
  if (expectedFailuresFile !== undefined) args.push('--expected-failures', expectedFailuresFile);
  const env = {
    PATH: `${BIN_DIR}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? '/tmp',
    NO_COLOR: '1',
    // The suite has no option for credentials; a preload adds the client token to its requests to
    // `url`'s origin, as a configured MCP client would (see inject-bearer-token.ts).
    ...(bearerToken !== undefined
      ? {
          NODE_OPTIONS: `--import=${path.join(import.meta.dirname, 'inject-bearer-token.ts')}`,
          CONFORMANCE_BEARER_TOKEN: bearerToken,
          CONFORMANCE_TOKEN_ORIGIN: new URL(url).origin,
        }
      : {}),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(BIN_DIR, 'conformance'), args, {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}
