// A Gatehouse gateway for the benchmark: a fresh data folder configured through the real CLI code
// (`runCli`), then `gatehouse serve` as a child process, or ungoverned-serve.ts (the same core built
// with governance off) for the "governance off" path.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../electron/main/headless/cli.ts';
import { startChild, type Child } from './children.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'electron/main/headless/gatehouse.ts');
const UNGOVERNED_SERVE = path.join(import.meta.dirname, 'ungoverned-serve.ts');
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

const dataDirs = new Set<string>();

/** Deletes every data folder this run created (synchronous: also used from an `exit` handler). */
export function removeDataDirs(): void {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}

export interface BenchGateway {
  child: Child;
  dataDir: string;
  token: string;
  /** The MCP endpoint of the benchmark's upstream through this gateway. */
  endpoint: string;
}

/** Runs one CLI command in-process; returns its output, throws on a non-zero exit. */
async function cli(dataDir: string, args: string[]): Promise<string> {
  const lines: string[] = [];
  const io = {
    out: (line: string) => lines.push(line),
    err: (line: string) => lines.push(line),
    env: process.env,
  };
  const code = await runCli(['--data-dir', dataDir, ...args], io);
  if (code !== 0) throw new Error(`gatehouse ${args.join(' ')} exited ${code}:\n${lines.join('\n')}`);
  return lines.join('\n');
}

/**
 * Creates and configures a data folder: one server (`echo`), one client, a rule allowing every tool
 * of `echo` (its tool has no annotations, so the default policy would ask a person and hold the
 * call), extra `config set` pairs.
 */
export async function prepareGateway(
  label: string,
  upstreamUrl: string,
  config: Record<string, string> = {},
): Promise<{ dataDir: string; token: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `gatehouse-bench-${label}-`));
  dataDirs.add(dataDir);
  await cli(dataDir, ['server', 'add', 'echo', upstreamUrl]);
  const added = await cli(dataDir, ['client', 'add', 'bench']);
  const token = /^\s+(ghc_\S+)\s*$/m.exec(added)?.[1];
  if (!token) throw new Error(`no token in "client add" output:\n${added}`);
  await cli(dataDir, ['policy', 'add', '--action', 'allow', '--server', 'echo']);
  for (const [key, value] of Object.entries(config)) await cli(dataDir, ['config', 'set', key, value]);
  return { dataDir, token };
}

/** Starts `gatehouse serve --port 0` on a prepared data folder. */
export async function startGateway(
  name: string,
  prepared: { dataDir: string; token: string },
): Promise<BenchGateway> {
  const child = await startChild(
    name,
    [BIN, 'serve', '--data-dir', prepared.dataDir, '--port', '0'],
    LISTENING,
  );
  return { child, ...prepared, endpoint: `${child.url}/mcp/echo` };
}

/** Starts the same core with governance off (no policy decision, no audit write per call). */
export async function startUngovernedGateway(
  name: string,
  prepared: { dataDir: string; token: string },
): Promise<BenchGateway> {
  const child = await startChild(name, [UNGOVERNED_SERVE, prepared.dataDir], LISTENING);
  return { child, ...prepared, endpoint: `${child.url}/mcp/echo` };
}
