import type { App, Dock } from 'electron';
import type { Disposable } from '../base/disposable.ts';
import type { Event } from '../base/emitter.ts';
import type { Logger } from '../base/logger.ts';

/** How long a graceful stop may take before Gatehouse quits anyway. */
const STOP_DEADLINE_MS = 8_000;

/**
 * Keeps the app alive in the tray when its last window closes (the default would quit).
 */
export function keepRunningWithoutWindows(app: Pick<App, 'on'>): void {
  app.on('window-all-closed', () => {
    // Intentionally empty: Gatehouse lives in the tray; Quit is in the tray menu.
  });
}

/**
 * Runs `stop` (close sessions, flush stores, release the data-folder lock) before the app quits, from
 * the usual quit paths: the tray's Quit, Cmd+Q, SIGINT/SIGTERM. (A Windows shutdown skips
 * `before-quit`; the lock is then stale and taken over at the next start.) The first `before-quit` is held
 * until `stop` settles (or a deadline passes), then quitting resumes.
 */
export function quitGracefully(
  app: Pick<App, 'on' | 'quit'>,
  stop: () => Promise<void>,
  logger: Logger,
): void {
  let phase: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (phase === 'stopped') return;
    event.preventDefault();
    if (phase === 'stopping') return;
    phase = 'stopping';
    const deadline = new Promise<void>((resolve) => {
      setTimeout(() => {
        logger.warn(`stopping took longer than ${STOP_DEADLINE_MS / 1000} s; quitting anyway`);
        resolve();
      }, STOP_DEADLINE_MS).unref();
    });
    Promise.race([stop(), deadline])
      .catch((error: unknown) => logger.error('error while stopping', { error: String(error) }))
      .finally(() => {
        phase = 'stopped';
        app.quit();
      });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
}

/**
 * macOS: the Dock icon shows only while a settings window is open (the approval popup is a panel and
 * does not count), so the app otherwise lives in the menu bar (LSUIElement in the packaged Info.plist
 * keeps it out of the Dock at launch).
 */
export function syncDockWithWindows(
  dock: Pick<Dock, 'show' | 'hide'> | undefined,
  visibleWindows: () => number,
  onDidChangeWindows: Event<unknown>,
): Disposable {
  if (!dock) return { dispose() {} };
  let shown: boolean | undefined;
  const apply = () => {
    const show = visibleWindows() > 0;
    if (show === shown) return;
    shown = show;
    if (show) void dock.show();
    else dock.hide();
  };
  apply();
  return onDidChangeWindows(apply);
}
