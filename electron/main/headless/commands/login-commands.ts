import { nullLogger } from '../../base/logger.ts';
import { listenForCallback } from '../../oauth/callback-route.ts';
import { openBrowser } from '../../oauth/browser-opener.ts';
import { LoginManager } from '../../oauth/login-manager.ts';
import { createOfflineServices } from '../../services/create-core.ts';
import { ServiceError } from '../../services/service-error.ts';
import { DataFolderLock } from '../../store/data-lock.ts';
import { SettingsStore } from '../../store/settings-store.ts';
import type { LoginStatus } from '../../../../shared/schemas/logins.ts';
import { callRunning } from '../admin-client.ts';
import { readAdminToken } from '../admin-token.ts';
import { openSecrets, parse, UsageError, type CliIO } from '../cli-io.ts';
import { portOption } from './port-option.ts';

export const LOGIN_USAGE = [
  'gatehouse login <server> [--no-browser] [--port N]',
  'gatehouse logout <server>',
].join('\n       ');

const POLL_MS = 300;

/** Whether a Gatehouse serves this data folder (then the login goes through it). */
function runningUrl(dataDir: string): string | undefined {
  const holder = new DataFolderLock(dataDir).readLiveHolder();
  if (!holder?.url || readAdminToken(dataDir) === undefined) return undefined;
  return holder.url;
}

async function showUrl(io: CliIO, server: string, url: string, browser: boolean): Promise<void> {
  io.out(`To log in to "${server}", open this address in your browser:`);
  io.out(url);
  if (browser && (await openBrowser(url))) io.out('(Your browser was opened.)');
  io.out('Waiting for the login to finish… (Ctrl-C to give up)');
}

function describeEnd(status: LoginStatus | undefined): { ok: boolean; text: string } | undefined {
  switch (status?.state) {
    case 'in-progress':
      return undefined;
    case 'logged-in':
      return {
        ok: true,
        text: `Logged in to "${status.server}"${status.account ? ` as ${status.account}` : ''}${
          status.scopes.length > 0 ? ` (scopes: ${status.scopes.join(' ')})` : ''
        }.`,
      };
    case 'error':
    case 'needs-login':
      return { ok: false, text: `login to "${status.server}" failed: ${status.reason}` };
    default:
      return { ok: false, text: 'the login ended without tokens' };
  }
}

/** The login through the running Gatehouse: its /oauth/callback receives the browser. */
async function loginViaRunning(
  dataDir: string,
  server: string,
  browser: boolean,
  io: CliIO,
): Promise<number> {
  const { authorizationUrl } = await callRunning(dataDir, 'logins.start', { name: server });
  await showUrl(io, server, authorizationUrl, browser);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const list = await callRunning(dataDir, 'logins.list', undefined);
    const end = describeEnd(list.find((s) => s.server === server));
    if (!end) continue;
    if (end.ok) io.out(end.text);
    else io.err(`gatehouse: ${end.text}`);
    return end.ok ? 0 : 1;
  }
}

/**
 * The login while no Gatehouse runs: a listener of its own on 127.0.0.1 receives the callback, by
 * default on the configured gateway port so the redirect URI is the one the gateway uses too.
 */
async function loginOffline(
  dataDir: string,
  server: string,
  browser: boolean,
  port: number | undefined,
  io: CliIO,
): Promise<number> {
  const settings = new SettingsStore({ dataDir, logger: nullLogger, onCorrupt: 'fail' });
  let redirectUri: string | undefined;
  const logins = new LoginManager({
    settings: () => settings.current,
    secrets: openSecrets(dataDir, io),
    logger: nullLogger,
    redirectUri: () => redirectUri,
  });
  try {
    if (!settings.current.servers.some((s) => s.name === server)) {
      throw new ServiceError(`no server named "${server}"`);
    }
    let listener;
    try {
      listener = await listenForCallback(logins, port ?? settings.current.gateway.port);
    } catch (error) {
      const holder = new DataFolderLock(dataDir).readHolder();
      const hint = holder
        ? ` (Gatehouse ${holder.kind} is running: log in from it, e.g. its Logins page)`
        : '';
      throw new ServiceError(`${(error as Error).message}${hint}`);
    }
    redirectUri = listener.redirectUri;
    try {
      const { ready, done } = logins.start(server);
      let url: string;
      try {
        url = await ready;
      } catch (error) {
        throw new ServiceError(`cannot log in to "${server}": ${(error as Error).message}`);
      }
      await showUrl(io, server, url, browser);
      try {
        await done;
      } catch (error) {
        throw new ServiceError(`login to "${server}" failed: ${(error as Error).message}`);
      }
      const end = describeEnd(logins.status(server));
      io.out(end?.text ?? `Logged in to "${server}".`);
      return 0;
    } finally {
      await listener.close();
    }
  } finally {
    logins.dispose();
    settings.dispose();
  }
}

/** `gatehouse login <server>` / `gatehouse logout <server>`. */
export async function loginCommand(
  command: 'login' | 'logout',
  args: string[],
  dataDir: string,
  io: CliIO,
): Promise<number> {
  if (command === 'logout') {
    const { positionals } = parse(args, {}, LOGIN_USAGE, { min: 1, max: 1 });
    const server = positionals[0]!;
    if (runningUrl(dataDir) !== undefined) {
      await callRunning(dataDir, 'logins.logout', { name: server });
    } else {
      const offline = createOfflineServices({
        dataDir,
        logger: nullLogger,
        secrets: openSecrets(dataDir, io),
      });
      try {
        await offline.services['logins.logout']({ name: server });
      } finally {
        offline.dispose();
      }
    }
    io.out(`Logged out of "${server}"; its tokens are deleted.`);
    return 0;
  }
  const { values, positionals } = parse(
    args,
    { 'no-browser': { type: 'boolean' }, port: { type: 'string' } },
    LOGIN_USAGE,
    { min: 1, max: 1 },
  );
  const server = positionals[0]!;
  const browser = !values['no-browser'] && io.env.GATEHOUSE_NO_BROWSER !== '1';
  const port = portOption(values.port, LOGIN_USAGE);
  if (runningUrl(dataDir) !== undefined) {
    if (port !== undefined) {
      throw new UsageError('--port applies only when Gatehouse is not running', LOGIN_USAGE);
    }
    return loginViaRunning(dataDir, server, browser, io);
  }
  return loginOffline(dataDir, server, browser, port, io);
}
