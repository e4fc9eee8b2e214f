import { createLogger } from '../../base/logger.ts';
import { createCore, type Core } from '../../services/create-core.ts';
import { DataFolderLock } from '../../store/data-lock.ts';
import { ensurePrivateDir } from '../../store/fs-utils.ts';
import { openSecrets, parse, type CliIO } from '../cli-io.ts';
import { AdminApi } from '../admin-api.ts';
import { createAdminToken, removeAdminToken } from '../admin-token.ts';
import { WebUi } from '../web-ui/web-ui-route.ts';
import { WebSessions } from '../web-ui/web-sessions.ts';
import { portOption } from './port-option.ts';

export const SERVE_USAGE = 'gatehouse serve [--port N] [--data-dir DIR]';

/**
 * `gatehouse serve`: the core without a desktop. Holds the data folder's lock, prints the gateway URL,
 * and on SIGINT/SIGTERM closes every session (deleting upstream sessions) and flushes the stores.
 */
export async function serveCommand(args: string[], dataDir: string, io: CliIO): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' } }, SERVE_USAGE, { min: 0, max: 0 });
  const port = portOption(values.port, SERVE_USAGE);
  ensurePrivateDir(dataDir);
  const lock = new DataFolderLock(dataDir);
  lock.acquire('serve');
  const logger = createLogger({ level: io.env.GATEHOUSE_LOG_LEVEL === 'debug' ? 'debug' : 'info' });
  let core: Core;
  try {
    core = createCore({
      dataDir,
      logger,
      secrets: openSecrets(dataDir, io),
      ...(port !== undefined ? { port } : {}),
    });
  } catch (error) {
    lock.release();
    io.err(`gatehouse: cannot start: ${(error as Error).message}`);
    return 1;
  }
  // The command line of this data folder reaches this process's services (approvals) with this token.
  const adminToken = createAdminToken(dataDir);
  // The browser UI (/app, /api/events) and its sign-in; /api accepts its session cookie too.
  const sessions = new WebSessions();
  const webUi = new WebUi({
    events: core.services.onDidChange,
    sessions,
    adminToken,
    logger: logger.child('web-ui'),
  });
  core.gateway.addRoute(webUi);
  core.gateway.addRoute(
    new AdminApi({ services: core.services, token: adminToken, logger: logger.child('api'), sessions }),
  );
  let started;
  try {
    started = await core.start();
  } catch (error) {
    await core.stop();
    removeAdminToken(dataDir);
    lock.release();
    io.err(`gatehouse: ${(error as Error).message}`);
    return 1;
  }
  lock.update({ url: started.url });
  io.out(`Gatehouse gateway listening on ${started.url}`);
  io.out(`MCP endpoints: ${started.url}/mcp (every server) and ${started.url}/mcp/<server>`);
  io.out(`Data folder: ${dataDir}`);
  io.out(`Web UI (this sign-in link works once; \`gatehouse ui\` prints a new one):`);
  io.out(`  ${webUi.newLoginUrl(started.url)}`);
  if (!webUi.built) io.err('gatehouse: the web UI is not built yet: run `npm run build:ui`');
  if (core.settings.problem) io.err(`gatehouse: ${core.settings.problem}`);
  if (core.settings.current.servers.length === 0)
    io.out('No servers configured yet: gatehouse server add <name> <url>');
  if (core.settings.current.clients.length === 0)
    io.out('No clients yet: gatehouse connect <client-kind> points one at Gatehouse (or client add <name>)');

  // Headless has no notifications: a server waiting for the person to log in is said plainly.
  const loginNotices = core.services.onDidChange((event) => {
    if (event.type !== 'login-needed') return;
    io.err(
      `gatehouse: log in to server "${event.server}" (${event.reason}): run \`gatehouse login ${event.server}\` or use the Logins page`,
    );
  });

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      io.out(`Received ${signal}; closing sessions…`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  loginNotices.dispose();
  webUi.close();
  await core.stop();
  removeAdminToken(dataDir);
  lock.release();
  io.out('Gatehouse stopped.');
  return 0;
}
