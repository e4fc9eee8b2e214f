import type { HostKind } from './services-client.ts';

/** Only web addresses leave the app; anything else (javascript:, file:, custom schemes) is refused. */
export function safeWebUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens a web address in the system browser (Electron: the preload's `openExternal`, which only lets
 * https through) or a new tab (browser). Returns false when nothing could be opened, so the caller
 * keeps showing the address as a link to click or copy.
 */
export function openExternalUrl(url: string, host: HostKind): boolean {
  const safe = safeWebUrl(url);
  if (!safe) return false;
  if (host === 'electron') {
    const bridge = window.gatehouse;
    // The popup's preload has no openExternal; only https passes the main process's check.
    if (typeof bridge?.openExternal !== 'function') return false;
    void bridge.openExternal(safe).catch(() => undefined);
    return true;
  }
  window.open(safe, '_blank', 'noopener');
  return true;
}
