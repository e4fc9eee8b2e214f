import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppOrigins } from '../windows/app-url.ts';
import type { AppPage } from '../windows/settings-window.ts';

/** Where the built app's pages and preloads are, and which origins count as the app's own. */
export interface AppPages {
  origins: AppOrigins;
  settingsPage: AppPage;
  settingsPreload: string;
  /** The approval popup's narrower preload. */
  popupPreload: string;
  /** Extra CSP `connect-src` sources (the dev server's websocket in development). */
  connectSrc: string[];
  dev: boolean;
}

/**
 * Resolves the app's pages relative to the bundled main (`out/main/index.js`): `out/renderer/` and
 * `out/preload/`. The dev server (`ELECTRON_RENDERER_URL`, set by `electron-vite dev`) is only honoured
 * when not packaged: a packaged app never trusts a URL taken from its environment.
 */
export function resolveAppPages(options: {
  mainDir: string;
  isPackaged: boolean;
  env: NodeJS.ProcessEnv;
}): AppPages {
  const rendererDir = path.resolve(options.mainDir, '..', 'renderer');
  const settingsPreload = path.resolve(options.mainDir, '..', 'preload', 'settings.cjs');
  const popupPreload = path.resolve(options.mainDir, '..', 'preload', 'popup.cjs');
  const rendererDirUrl = pathToFileURL(rendererDir + path.sep).href;
  const devServer = options.isPackaged ? undefined : parseDevServer(options.env.ELECTRON_RENDERER_URL);
  if (devServer) {
    const ws = `${devServer.protocol === 'https:' ? 'wss:' : 'ws:'}//${devServer.host}`;
    return {
      origins: { rendererDirUrl, devServerUrl: devServer.origin },
      settingsPage: { kind: 'url', url: devServer.href },
      settingsPreload,
      popupPreload,
      connectSrc: [ws],
      dev: true,
    };
  }
  return {
    origins: { rendererDirUrl },
    settingsPage: { kind: 'file', path: path.join(rendererDir, 'index.html') },
    settingsPreload,
    popupPreload,
    connectSrc: [],
    dev: false,
  };
}

function parseDevServer(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    // Only a loopback dev server: anything else in the environment is not ours.
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return (url.protocol === 'http:' || url.protocol === 'https:') && loopback ? url : undefined;
  } catch {
    return undefined;
  }
}
