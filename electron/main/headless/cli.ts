import { z } from 'zod';
import { resolveDataDir } from '../base/paths.ts';
import { nullLogger } from '../base/logger.ts';
import { createOfflineServices } from '../services/create-core.ts';
import { ServiceError } from '../services/gateway-services.ts';
import { DataFolderBusyError } from '../store/data-lock.ts';
import { describeZodError, SettingsError } from '../store/settings-store.ts';
import { openSecrets, UsageError, processIO, type CliIO } from './cli-io.ts';
import { CLIENT_USAGE, clientCommand } from './commands/client-commands.ts';
import { CONFIG_USAGE, configCommand } from './commands/config-commands.ts';
import { SERVE_USAGE, serveCommand } from './commands/serve-command.ts';
import { SERVER_USAGE, serverCommand } from './commands/server-commands.ts';
import { APPROVALS_USAGE, approvalsCommand } from './commands/approvals-commands.ts';
import { AUDIT_USAGE, auditCommand } from './commands/audit-commands.ts';
import { CHANGES_USAGE, changesCommand } from './commands/changes-commands.ts';
import {
  CONNECT_USAGE,
  clientsCommand,
  connectCommand,
  disconnectCommand,
} from './commands/connect-commands.ts';
import { LOGIN_USAGE, loginCommand } from './commands/login-commands.ts';
import { pauseCommand, POLICY_USAGE, policyCommand } from './commands/policy-commands.ts';
import { UI_USAGE, uiCommand } from './web-ui/ui-command.ts';
import { BRIDGE_USAGE, bridgeCommand } from './commands/bridge-command.ts';

const USAGE = `usage: ${SERVE_USAGE}
       ${SERVER_USAGE}
       ${CLIENT_USAGE}
       ${CONFIG_USAGE}
       ${POLICY_USAGE}
       ${APPROVALS_USAGE}
       ${AUDIT_USAGE}
       ${CHANGES_USAGE}
       ${CONNECT_USAGE}
       ${LOGIN_USAGE}
       ${UI_USAGE}
       ${BRIDGE_USAGE}

Every command takes --data-dir DIR (or GATEHOUSE_DATA_DIR); the default is the desktop app's data folder.
Changes made while \`gatehouse serve\` runs take effect without a restart.`;

/** Splits `--data-dir` (valid anywhere on the line) from the rest of the arguments. */
function takeDataDir(argv: string[]): { dataDir: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let dataDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data-dir') {
      dataDir = argv[++i];
      if (dataDir === undefined) throw new UsageError('--data-dir needs a folder', USAGE);
    } else if (arg.startsWith('--data-dir=')) {
      dataDir = arg.slice('--data-dir='.length);
    } else {
      rest.push(arg);
    }
  }
  return { dataDir, rest };
}

/** Runs one `gatehouse` command line and returns the exit code. */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  try {
    const { dataDir: flag, rest } = takeDataDir(argv);
    const [command, ...args] = rest;
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      // Asked for, the usage is the output; without any command it is an error and goes to stderr.
      if (command) io.out(USAGE);
      else io.err(USAGE);
      return command ? 0 : 2;
    }
    const dataDir = resolveDataDir(flag, io.env);
    if (command === 'serve') return await serveCommand(args, dataDir, io);
    if (command === 'approvals') return await approvalsCommand(args, dataDir, io);
    if (command === 'audit') return await auditCommand(args, dataDir, io);
    if (command === 'changes') return await changesCommand(args, dataDir, io);
    if (command === 'login' || command === 'logout') return await loginCommand(command, args, dataDir, io);
    if (command === 'ui') return await uiCommand(args, dataDir, io);
    if (command === 'bridge') return await bridgeCommand(args, dataDir, io);
    const handlers: Record<string, typeof serverCommand> = {
      server: serverCommand,
      client: clientCommand,
      clients: clientsCommand,
      connect: connectCommand,
      disconnect: disconnectCommand,
      config: configCommand,
      policy: policyCommand,
      pause: (a, s, o) => pauseCommand('pause', a, s, o),
      resume: (a, s, o) => pauseCommand('resume', a, s, o),
    };
    const handler = handlers[command];
    if (!handler) throw new UsageError(`unknown command "${command}"`, USAGE);
    const offline = createOfflineServices({ dataDir, logger: nullLogger, secrets: openSecrets(dataDir, io) });
    try {
      return await handler(args, offline.services, io);
    } finally {
      offline.dispose();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`gatehouse: ${error.message}`);
      io.err(error.usage.startsWith('usage:') ? error.usage : `usage: ${error.usage}`);
      return 2;
    }
    if (
      error instanceof ServiceError ||
      error instanceof SettingsError ||
      error instanceof DataFolderBusyError
    ) {
      io.err(`gatehouse: ${error.message}`);
      return 1;
    }
    if (error instanceof z.ZodError) {
      io.err(`gatehouse: ${describeZodError(error)}`);
      return 1;
    }
    io.err(`gatehouse: unexpected error: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}
