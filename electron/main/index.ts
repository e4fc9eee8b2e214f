/**
 * The desktop app's composition root (architecture.md convention 8): builds the core with Electron's
 * adapters, the tray, the settings window, the approval popup, notifications and the IPC bridge, and
 * wires their lifetimes. No behaviour lives here; the core runs the same under `gatehouse serve`.
 * Started as `Gatehouse --cli <args>` it runs the `gatehouse` command line instead (headless-mode.ts).
 */
import { app, dialog, ipcMain, safeStorage, screen, session, shell, type Rectangle } from 'electron';
import { createLogger, type Logger } from './base/logger.ts';
import { checkOpenableUrl } from './oauth/url-safety.ts';
import { resolveDataDir } from './base/paths.ts';
import { createCore, type Core } from './services/create-core.ts';
import { DataFolderLock } from './store/data-lock.ts';
import { ensurePrivateDir } from './store/fs-utils.ts';
import { FileSecretStore } from './store/secret-store.ts';
import { APP_ID } from './app/app-identity.ts';
import { keepRunningWithoutWindows, quitGracefully, syncDockWithWindows } from './app/app-lifecycle.ts';
import { resolveAppPages } from './app/app-pages.ts';
import { wireAttention } from './app/attention.ts';
import { DesktopNotifier } from './app/desktop-notifier.ts';
import { DesktopState } from './app/desktop-state.ts';
import { headlessArgs, runHeadless } from './app/headless-mode.ts';
import type { NotificationTarget } from './app/notifications.ts';
import { describeStartupError } from './app/startup-errors.ts';
import { createElectronConf } from './app/electron-store-conf.ts';
import { createSafeStorageCipher } from './app/safe-storage-cipher.electron.ts';
import { applyStartAtLogin, startAtLoginSync } from './app/start-at-login.ts';
import { GatehouseTray } from './app/tray.ts';
import { trayIconDir } from './app/tray-icon.ts';
import type { TrayMenuActions } from './app/tray-menu.ts';
import { planTray, probeLinuxTray } from './app/tray-availability.ts';
import { registerAppActions } from './ipc/app-actions.ts';
import { registerIpcBridge } from './ipc/ipc-bridge.ts';
import { isAppUrl } from './windows/app-url.ts';
import { buildCsp } from './windows/csp.ts';
import { PopupWindow } from './windows/popup-window.ts';
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
      // Logins Gatehouse starts itself (a step-up): the authorization URL was checked by the OAuth
      // layer; it is checked again as one URL for the OS opener (no shell, no other schemes).
      openBrowser: (url) => {
        const checked = checkOpenableUrl(url);
        if (!checked.ok) logger.warn('refused to open a login address', { reason: checked.reason });
        else void shell.openExternal(checked.href).catch(() => undefined);
      },
    });
    return { core, lock };
  } catch (error) {
    lock.release();
    failStartup(error, logger);
    return undefined;
  }
}

/** The work area of the display holding the tray icon, else the primary display's. */
function workAreaNear(bounds: Rectangle | undefined): Rectangle {
  return (bounds ? screen.getDisplayMatching(bounds) : screen.getPrimaryDisplay()).workArea;
}

/** Keeps `app.startAtLogin` applied: at start, and whenever the setting changes. */
function syncStartAtLogin(core: Core, logger: Logger) {
  const sync = startAtLoginSync((enabled) => {
    try {
      const result = applyStartAtLogin(enabled, {
        platform: process.platform,
        loginItems: app,
        execPath: process.execPath,
        // Unpackaged (`electron .`), the app folder is the first argument.
        args: app.isPackaged ? [] : [app.getAppPath()],
        env: process.env,
      });
      logger.info('start at login', result);
    } catch (error) {
      logger.warn('could not change start at login', { error: String(error) });
    }
  });
  sync(core.settings.current.app.startAtLogin);
  return core.settings.onDidChange((settings) => sync(settings.app.startAtLogin));
}

async function startDesktop(logger: Logger): Promise<void> {
  // Asked first, answered while the core opens (a D-Bus round trip; bounded by a timeout).
  const probing =
    process.platform === 'linux' ? probeLinuxTray(process.env) : Promise.resolve('unknown' as const);
  const opened = openCore(logger);
  if (!opened) return;
  const { core, lock } = opened;
  const { services } = core;

  const pages = resolveAppPages({
    mainDir: import.meta.dirname,
    isPackaged: app.isPackaged,
    env: process.env,
  });
  const isOwnUrl = (url: string | undefined) => isAppUrl(url, pages.origins);
  const windows = new WindowRegistry();
  const windowLogger = logger.child('windows');
  const createWindow = createSecureWindowFactory({
    // A session used by our windows only, so its hardening touches nothing else.
    session: session.fromPartition('gatehouse'),
    isAppUrl: isOwnUrl,
    csp: buildCsp({ dev: pages.dev, connectSrc: pages.connectSrc }),
    openExternal: (url) => shell.openExternal(url),
    registry: windows,
    logger: windowLogger,
    devTools: !app.isPackaged,
  });
  const settingsWindow = new SettingsWindow({
    createWindow,
    preload: pages.settingsPreload,
    page: pages.settingsPage,
    logger: windowLogger,
  });
  let tray: GatehouseTray | undefined;
  const popup = new PopupWindow({
    createWindow,
    preload: pages.popupPreload,
    page: pages.settingsPage,
    trayBounds: () => tray?.bounds(),
    workArea: workAreaNear,
    logger: windowLogger,
  });
  const trust = { windowKindOf: (id: number) => windows.kindOf(id), isAppUrl: isOwnUrl };
  const ipc = registerIpcBridge({
    ipcMain,
    services,
    trust,
    targets: () => windows.targets(),
    logger: logger.child('ipc'),
  });
  const appActions = registerAppActions({
    ipcMain,
    trust,
    openExternal: (url) => shell.openExternal(url),
    pendingAuthorizationUrls: async () =>
      (await services['logins.list']()).flatMap((login) =>
        login.state === 'in-progress' ? [login.authorizationUrl] : [],
      ),
    logger: logger.child('ipc'),
  });
  const dock = syncDockWithWindows(app.dock, () => windows.countOf('settings'), windows.onDidChangeCount);

  const state = new DesktopState({
    services,
    onDidChangeServices: services.onDidChange,
    pause: () => core.settings.current.pause,
    logger: logger.child('tray'),
  });
  const openTarget = (target: NotificationTarget) => {
    if (target.kind === 'approval') popup.show({ focus: true });
    else settingsWindow.open(target.route);
  };
  const notifier = new DesktopNotifier({ open: openTarget, logger: logger.child('notifications') });
  const attention = wireAttention({
    onDidChangeState: state.onDidChange,
    onServiceEvent: services.onDidChange,
    popup,
    notify: (note) => notifier.show(note),
  });
  const report = (what: string) => (error: unknown) =>
    logger.warn(`could not ${what}`, { error: error instanceof Error ? error.message : String(error) });
  const actions: TrayMenuActions = {
    openSettings: (route) => settingsWindow.open(route),
    openApproval: () => popup.show({ focus: true }),
    pause: (forMinutes) =>
      void services['policy.pause']({ mode: 'ask', ...(forMinutes ? { forMinutes } : {}) }).catch(
        report('pause writes'),
      ),
    resume: () => void services['policy.resume']().catch(report('resume writes')),
    quit: () => app.quit(),
  };

  const probe = await probing;
  let plan = planTray({ platform: process.platform, probe });
  if (plan.createTray) {
    try {
      tray = new GatehouseTray({
        snapshot: () => state.current,
        onDidChange: state.onDidChange,
        actions,
        platform: process.platform,
        iconDir: trayIconDir({
          mainDir: import.meta.dirname,
          isPackaged: app.isPackaged,
          resourcesPath: process.resourcesPath,
        }),
      });
    } catch (error) {
      logger.warn('the tray icon could not be created', { error: String(error) });
      plan = planTray({ platform: process.platform, probe, trayFailed: true });
    }
  }
  if (plan.quitWhenSettingsCloses) settingsWindow.onDidClose(() => app.quit());
  if (plan.openWindowAtStart) settingsWindow.open();
  if (plan.message) {
    logger.warn('no tray on this desktop; the window opens instead');
    void dialog.showMessageBox({
      type: 'info',
      title: 'Gatehouse',
      message: 'No tray icon',
      detail: plan.message,
    });
  }
  app.on('second-instance', () => settingsWindow.open());
  const startAtLogin = syncStartAtLogin(core, logger);

  quitGracefully(
    app,
    async () => {
      startAtLogin.dispose();
      attention.dispose();
      notifier.dispose();
      popup.close();
      settingsWindow.dispose();
      tray?.dispose();
      state.dispose();
      dock.dispose();
      appActions.dispose();
      ipc.dispose();
      await core.stop();
      windows.dispose();
      lock.release();
    },
    logger,
  );

  void state.refresh();
  try {
    const { url } = await core.start();
    lock.update({ url });
  } catch (error) {
    // The tray shows the error (e.g. the port is taken); the app stays up so settings can be changed.
    logger.error('the gateway did not start', { error: (error as Error).message });
  }
}

function main(): void {
  const cliArgs = headlessArgs(process.argv, process.defaultApp === true);
  if (cliArgs) {
    // `gatehouse …` from the installed app: the command line, no windows (see headless-mode.ts).
    // After `ready`, so that secrets the desktop app sealed with safeStorage can be read.
    Promise.all([import('./headless/cli.ts'), import('./headless/cli-io.ts'), app.whenReady()])
      .then(([{ runCli }, { processIO }]) => {
        const secretCipher = createSafeStorageCipher(safeStorage, createLogger({ level: 'warn' }));
        return runHeadless(app, cliArgs, (args) => runCli(args, { ...processIO, secretCipher }));
      })
      .catch((error: unknown) => {
        process.stderr.write(`gatehouse: ${String(error)}\n`);
        app.exit(1);
      });
    return;
  }
  // One desktop instance per user: a second launch opens the first one's window instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Windows: notifications and the taskbar group by this id; it must match the installer's appId.
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
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
