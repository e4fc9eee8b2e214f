/**
 * The desktop app's composition root (architecture.md convention 8): builds the core with Electron's
 * adapters, the tray, the settings window and the IPC bridge, and wires their lifetimes. No behaviour
 * lives here; the core runs the same under `gatehouse serve`.
 */
import { app, dialog, ipcMain, safeStorage, session, shell } from 'electron';
import { createLogger, type Logger } from './base/logger.ts';
import { resolveDataDir } from './base/paths.ts';
import { createCore, type Core } from './services/create-core.ts';
import { DataFolderLock } from './store/data-lock.ts';
import { ensurePrivateDir } from './store/fs-utils.ts';
import { FileSecretStore } from './store/secret-store.ts';
import { keepRunningWithoutWindows, quitGracefully, syncDockWithWindows } from './app/app-lifecycle.ts';
import { resolveAppPages } from './app/app-pages.ts';
import { describeStartupError } from './app/startup-errors.ts';
import { createElectronConf } from './app/electron-store-conf.ts';
import { createSafeStorageCipher } from './app/safe-storage-cipher.electron.ts';
import { GatehouseTray } from './app/tray.ts';
import { registerIpcBridge } from './ipc/ipc-bridge.ts';
import { isAppUrl } from './windows/app-url.ts';
import { buildCsp } from './windows/csp.ts';
import { createSecureWindowFactory } from './windows/secure-window.ts';
import { SettingsWindow } from './windows/settings-window.ts';
import { WindowRegistry } from './windows/window-registry.ts';

/** Shows why the app cannot start, then exits; the tray never appears. */
function failStartup(error: unknown, logger: Logger): void {
  const { title, message } = describeStartupError(error);
  logger.error(title, { error: message });
  dialog.showErrorBox(title, message);
  app.exit(1);
}

/** Takes the data folder and builds the core with Electron's adapters, or explains why not. */
function openCore(logger: Logger): { core: Core; lock: DataFolderLock } | undefined {
  const dataDir = resolveDataDir(undefined);
  const lock = new DataFolderLock(dataDir);
  try {
    ensurePrivateDir(dataDir);
    // Typically fails because `gatehouse serve` already serves this folder.
    lock.acquire('desktop');
  } catch (error) {
    failStartup(error, logger);
    return undefined;
  }
  try {
    const cipher = createSafeStorageCipher(safeStorage, logger.child('secrets'));
    const core = createCore({
      dataDir,
      logger,
      secrets: new FileSecretStore(dataDir, cipher),
      createConf: createElectronConf,
    });
    return { core, lock };
  } catch (error) {
    lock.release();
    failStartup(error, logger);
    return undefined;
  }
}

async function startDesktop(logger: Logger): Promise<void> {
  const opened = openCore(logger);
  if (!opened) return;
  const { core, lock } = opened;

  const pages = resolveAppPages({
    mainDir: import.meta.dirname,
    isPackaged: app.isPackaged,
    env: process.env,
  });
  const isOwnUrl = (url: string | undefined) => isAppUrl(url, pages.origins);
  const windows = new WindowRegistry();
  const createWindow = createSecureWindowFactory({
    // An in-memory session used by our windows only, so its hardening touches nothing else.
    session: session.fromPartition('gatehouse'),
    isAppUrl: isOwnUrl,
    csp: buildCsp({ dev: pages.dev, connectSrc: pages.connectSrc }),
    openExternal: (url) => shell.openExternal(url),
    registry: windows,
    logger: logger.child('windows'),
    devTools: !app.isPackaged,
  });
  const settingsWindow = new SettingsWindow({
    createWindow,
    preload: pages.settingsPreload,
    page: pages.settingsPage,
    logger: logger.child('windows'),
  });
  const ipc = registerIpcBridge({
    ipcMain,
    services: core.services,
    trust: { isOurWebContents: (id) => windows.has(id), isAppUrl: isOwnUrl },
    targets: () => windows.contents(),
    logger: logger.child('ipc'),
  });
  const dock = syncDockWithWindows(app.dock, windows.size, windows.onDidChangeCount);
  const tray = new GatehouseTray({
    status: () => core.gateway.status,
    onDidChangeStatus: core.gateway.onDidChangeStatus,
    actions: { openSettings: () => settingsWindow.open(), quit: () => app.quit() },
    platform: process.platform,
  });
  app.on('second-instance', () => settingsWindow.open());

  quitGracefully(
    app,
    async () => {
      settingsWindow.close();
      tray.dispose();
      dock.dispose();
      ipc.dispose();
      await core.stop();
      windows.dispose();
      lock.release();
    },
    logger,
  );

  try {
    const { url } = await core.start();
    lock.update({ url });
  } catch (error) {
    // The tray shows the error (e.g. the port is taken); the app stays up so settings can be changed.
    logger.error('the gateway did not start', { error: (error as Error).message });
  }
}

function main(): void {
  // One desktop instance per user: a second launch opens the first one's window instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const logger = createLogger({ level: process.env.GATEHOUSE_LOG_LEVEL === 'debug' ? 'debug' : 'info' });
  keepRunningWithoutWindows(app);
  // Start to the tray: no window, and on macOS no dock icon until a window opens.
  app.dock?.hide();
  app
    .whenReady()
    .then(() => startDesktop(logger))
    .catch((error: unknown) => failStartup(error, logger));
}

main();
