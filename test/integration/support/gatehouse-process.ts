import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** The `gatehouse` command line entry point (run with `node`). */
export const GATEHOUSE_BIN = path.join(ROOT, 'electron/main/headless/gatehouse.ts');
const BIN = GATEHOUSE_BIN;

/** A running `gatehouse` child process, its output collected as it comes. */
export interface GatehouseChild {
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited and its output is read. */
  exited: Promise<number>;
  stdout(): string;
  stderr(): string;
}

/** Starts one `gatehouse` command as a real child process; `input` is written to its stdin. */
export function spawnGatehouse(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): GatehouseChild {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...options.env },
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin?.end(options.input);
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Runs one `gatehouse` command as a real child process. */
export async function runGatehouse(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = spawnGatehouse(args, { env });
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `gatehouse serve` as a child process and waits for its URL. */
export function startServe(dataDir: string, extraArgs: string[] = ['--port', '0']): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const onData = (d: Buffer) => {
      out += d.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (match) {
        resolve({
          child,
          url: match[1]!,
          port: Number(match[2]),
          output: () => out,
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`gatehouse serve exited (${code}) before listening:\n${out}`)),
    );
  });
}
