import { BrowserWindow, type Session, type WebPreferences } from 'electron';
import type { Logger } from '../base/logger.ts';
import type { WindowKind } from '../ipc/window-kinds.ts';
import { externalLinkTarget } from './app-url.ts';
import type { WindowRegistry } from './window-registry.ts';

/** What a window kind may choose: size, place and chrome; security settings are not among them. */
export interface SecureWindowOptions {
  /** Decides which services the window's senders may call (ipc/window-kinds.ts). */
  kind: WindowKind;
  /** Absolute path of the window kind's preload (a CommonJS bundle, so the sandbox can stay on). */
  preload: string;
  title: string;
  width: number;
  height: number;
  minWidth?: number;
  minHeight?: number;
  x?: number;
  y?: number;
  alwaysOnTop?: boolean;
  resizable?: boolean;
  minimizable?: boolean;
  maximizable?: boolean;
  fullscreenable?: boolean;
}

/** The chrome options a window kind passed, without undefined entries. */
function chromeOptions(options: SecureWindowOptions): Partial<SecureWindowOptions> {
  const keys = [
    'minWidth',
    'minHeight',
    'x',
    'y',
    'alwaysOnTop',
    'resizable',
    'minimizable',
    'maximizable',
    'fullscreenable',
  ] as const;
  return Object.fromEntries(
    keys.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]),
  );
}

export interface SecureWindowFactoryOptions {
  /** The session every app window uses; {@link hardenSession} is applied to it once. */
  session: Session;
  /** True for pages of our own (see app-url.ts). */
  isAppUrl(url: string | undefined): boolean;
  /** The policy from buildCsp, sent as a header on the app's own pages. */
  csp: string;
  openExternal(url: string): Promise<void>;
  registry: WindowRegistry;
  logger: Logger;
  /** Developer tools; off in packaged builds. */
  devTools: boolean;
}

/**
 * The renderer settings every Gatehouse window gets. Why: the renderer shows text from remote MCP
 * servers; if one ever ran script there it must find no Node, no Electron and no shared world
 * (Electron security checklist §2-§4: contextIsolation, sandbox, no nodeIntegration; §5 webSecurity).
 */
export function secureWebPreferences(preload: string, session: Session, devTools: boolean): WebPreferences {
  return {
    preload,
    session,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools,
  };
}

/**
 * Denies every permission, download and foreign CSP for the app's session. Why: no Gatehouse page needs
 * a camera, notifications from the page, or downloads (checklist §5 "Handle session permission
 * requests"), and the CSP header covers pages served over http by the dev server (checklist §7).
 */
export function hardenSession(
  session: Session,
  options: { csp: string; isAppUrl(url: string): boolean },
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!options.isAppUrl(details.url)) return callback({});
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [options.csp];
    callback({ responseHeaders: headers });
  });
}

/**
 * The one way Gatehouse creates windows (architecture.md convention 5). Returns a function that builds a
 * hidden, registered window with {@link secureWebPreferences}, navigation and new windows denied, and
 * https links handed to the system browser after validation.
 */
export function createSecureWindowFactory(
  factory: SecureWindowFactoryOptions,
): (options: SecureWindowOptions) => BrowserWindow {
  hardenSession(factory.session, { csp: factory.csp, isAppUrl: (url) => factory.isAppUrl(url) });
  const openOutside = (url: string) => {
    const target = externalLinkTarget(url);
    if (!target) {
      factory.logger.warn('refused to open a non-https link', { url: url.slice(0, 200) });
      return;
    }
    factory.openExternal(target).catch((error: unknown) => {
      factory.logger.warn('could not open a link in the browser', { error: String(error) });
    });
  };
  return (options) => {
    const window = new BrowserWindow({
      title: options.title,
      width: options.width,
      height: options.height,
      ...chromeOptions(options),
      show: false,
      autoHideMenuBar: true,
      webPreferences: secureWebPreferences(options.preload, factory.session, factory.devTools),
    });
    const contents = window.webContents;
    // Why: a window that navigates away keeps its preload, so no navigation is allowed (checklist §13).
    contents.on('will-navigate', (event) => {
      event.preventDefault();
      openOutside(event.url);
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // Why: new windows would escape this factory's settings (checklist §14).
    contents.setWindowOpenHandler(({ url }) => {
      openOutside(url);
      return { action: 'deny' };
    });
    factory.registry.add(window, options.kind);
    return window;
  };
}
