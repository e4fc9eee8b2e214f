import type { App } from 'electron';

/** The first app argument that makes the app binary run the `gatehouse` command line instead. */
export const CLI_FLAG = '--cli';

/**
 * The command-line arguments when the app binary was started as the `gatehouse` command
 * (`Gatehouse --cli <args>`, which the launcher scripts in resources/bin run), else undefined.
 * Why a flag and not ELECTRON_RUN_AS_NODE: the RunAsNode fuse is off in packaged builds, so the app
 * binary can never be used as a plain Node; the flag only ever reaches our own `runCli`.
 * `argv` is `process.argv`: `[app, ...args]` packaged, `[electron, appPath, ...args]` unpackaged.
 */
export function headlessArgs(argv: readonly string[], defaultApp: boolean): string[] | undefined {
  const args = argv.slice(defaultApp ? 2 : 1);
  // The launchers may put Chromium switches first (`--ozone-platform=headless` without a display).
  let start = 0;
  while (start < args.length && CHROMIUM_SWITCH.test(args[start] ?? '')) start++;
  return args[start] === CLI_FLAG ? args.slice(start + 1) : undefined;
}

/** Chromium switches the launcher scripts may pass before {@link CLI_FLAG}. */
const CHROMIUM_SWITCH = /^--(ozone-platform|no-sandbox|disable-gpu)(=|$)/;

/**
 * Runs the command line inside the app binary: no window, no tray, no single-instance lock (a command
 * such as `gatehouse approvals list` must work while the desktop app runs), then exits with the
 * command's status. A quit request from the OS (SIGINT/SIGTERM arrive as `before-quit` in Electron) is
 * turned into the SIGTERM the serve command listens for, so it closes its sessions first.
 */
export async function runHeadless(
  app: Pick<App, 'on' | 'exit'> & { dock?: { hide(): void } | undefined },
  args: string[],
  runCli: (args: string[]) => Promise<number>,
): Promise<void> {
  app.dock?.hide();
  let running = true;
  let forwarded = false;
  app.on('before-quit', (event) => {
    if (!running) return;
    event.preventDefault();
    if (!forwarded) {
      forwarded = true;
      process.emit('SIGTERM', 'SIGTERM');
    }
  });
  let code: number;
  try {
    code = await runCli(args);
  } catch (error) {
    process.stderr.write(`gatehouse: ${error instanceof Error ? error.message : String(error)}\n`);
    code = 1;
  }
  running = false;
  // Let buffered output reach a pipe before the process ends.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  app.exit(code);
}
