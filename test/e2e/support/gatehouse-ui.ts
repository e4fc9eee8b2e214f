import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServe, type ServeProcess } from '../../integration/support/gatehouse-process.ts';
import { readAdminToken } from '../../../electron/main/headless/admin-token.ts';
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * Builds the renderer when it is missing or older than its sources (`build-ui.ts --if-stale`, in a
 * child process; concurrent test files wait on its lock instead of building twice).
 */
export function ensureUiBuilt(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'electron/main/headless/web-ui/build-ui.ts'), '--if-stale'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`building the web UI failed (${code}):\n${output}`)),
    );
  });
}

/**
 * Points HOME (and the config folders derived from it) of this test process, and so of the
 * `gatehouse` processes it starts, at a folder inside `dataDir`: the Clients page's "Connect an app"
 * then looks at (and could only ever write to) a throwaway home, never the machine's.
 */
export function isolateHome(dataDir: string): void {
  const home = path.join(dataDir, 'home');
  fs.mkdirSync(home, { recursive: true });
  process.env.HOME = home;
  process.env.XDG_CONFIG_HOME = path.join(home, '.config');
  delete process.env.CODEX_HOME;
}

/** A running `gatehouse serve` with the sign-in link it printed. */
export interface ServeWithUi extends ServeProcess {
  /** The one-time sign-in link printed at start. */
  loginUrl: string;
  /** Calls the running process's services with the admin token (as the command line does). */
  admin<C extends Channel>(channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>>;
}

/** Starts `gatehouse serve` on a free port and waits for its sign-in link. */
export async function startServeWithUi(dataDir: string): Promise<ServeWithUi> {
  const serve = await startServe(dataDir);
  let loginUrl: string | undefined;
  for (let i = 0; i < 200 && !loginUrl; i++) {
    loginUrl = /(http:\/\/127\.0\.0\.1:\d+\/app\/login#secret=[A-Za-z0-9_-]+)/.exec(serve.output())?.[1];
    if (!loginUrl) await new Promise((r) => setTimeout(r, 25));
  }
  if (!loginUrl) throw new Error(`gatehouse serve printed no sign-in link:\n${serve.output()}`);
  const token = readAdminToken(dataDir);
  return {
    ...serve,
    loginUrl,
    async admin(channel, input) {
      const res = await fetch(`${serve.url}/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ input }),
      });
      const body = (await res.json()) as { ok: boolean; result: unknown; error?: string };
      if (!body.ok) throw new Error(`${channel}: ${body.error}`);
      return body.result as ChannelOutput<typeof channel>;
    },
  };
}
