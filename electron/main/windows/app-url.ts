/** Where the app's own pages come from: the built renderer folder, or the dev server in development. */
export interface AppOrigins {
  /** `file:` URL of the built renderer folder, ending in `/` (e.g. `file:///…/out/renderer/`). */
  rendererDirUrl: string;
  /** electron-vite's dev server (`ELECTRON_RENDERER_URL`), only when not packaged. */
  devServerUrl?: string;
}

/**
 * True only for a page of our own: a file inside the built renderer folder or a page on the dev server.
 * Why: IPC senders, CSP injection and event delivery are all gated on this, so anything a window might
 * have been navigated to (remote sites, other local files, `data:`/`blob:`) must fail here
 * (Electron security checklist §17, "Validate the sender of all IPC messages").
 */
export function isAppUrl(url: string | undefined, origins: AppOrigins): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') {
    const dir = new URL(origins.rendererDirUrl);
    if (dir.protocol !== 'file:' || !dir.pathname.endsWith('/')) return false;
    // `new URL` has already resolved `..` segments, so a prefix check on the path is a containment check.
    return parsed.host === dir.host && parsed.pathname.startsWith(dir.pathname);
  }
  if (origins.devServerUrl && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) {
    return parsed.origin === new URL(origins.devServerUrl).origin;
  }
  return false;
}

/**
 * The https URL to hand to the system browser for a link the app asked to open, or undefined.
 * Why: `shell.openExternal` with an attacker-chosen URL can launch arbitrary protocol handlers
 * (Electron security checklist §15), so only well-formed https URLs ever leave the app.
 */
export function externalLinkTarget(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.hostname !== '' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
