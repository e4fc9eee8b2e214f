import type { IpcMain } from 'electron';
import { z } from 'zod';
import type { Disposable } from '../base/disposable.ts';
import type { Logger } from '../base/logger.ts';
import { checkOpenableUrl, MAX_URL_LENGTH } from '../oauth/url-safety.ts';
import { isLoopbackHost } from '../services/server-url.ts';
import { OPEN_EXTERNAL_CHANNEL, type IpcResult } from './bridge-protocol.ts';
import { senderOf } from './ipc-bridge.ts';
import { checkSender, type IpcTrust } from './ipc-validation.ts';
import { APP_ACTIONS } from './window-kinds.ts';

export type ExternalUrlDecision = { ok: true; href: string } | { ok: false; reason: string };

/**
 * Decides whether a URL a page asked to open may go to the system browser: https only (checked with
 * the OAuth layer's opener check: no credentials, fragments, controls, whitespace or shell
 * metacharacters), plus plain http to a loopback host only when it is the authorization URL of a login
 * in progress (a development or test authorization server). Why: `shell.openExternal` hands the URL to
 * the OS, which would launch any registered protocol handler (Electron security checklist §15).
 */
export function externalUrlDecision(
  url: unknown,
  pendingAuthorizationUrls: readonly string[],
): ExternalUrlDecision {
  if (typeof url !== 'string') return { ok: false, reason: 'not a URL' };
  const checked = checkOpenableUrl(url);
  if (!checked.ok) return checked;
  if (checked.url.protocol === 'https:') return { ok: true, href: checked.href };
  const isLoginUrl = pendingAuthorizationUrls.some((pending) => {
    const normal = checkOpenableUrl(pending);
    return normal.ok && normal.href === checked.href;
  });
  if (isLoopbackHost(checked.url.hostname) && isLoginUrl) return { ok: true, href: checked.href };
  return { ok: false, reason: 'only https addresses open in the browser' };
}

export interface AppActionsOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  trust: IpcTrust;
  /** Electron's `shell.openExternal`. */
  openExternal(url: string): Promise<void>;
  /** The authorization URLs of logins in progress (`logins.list`, state `in-progress`). */
  pendingAuthorizationUrls(): Promise<string[]>;
  logger: Logger;
}

const urlInput = z.string().min(1).max(MAX_URL_LENGTH);

/**
 * The app's own IPC actions beside the services contract: `openExternal` for the settings window.
 * Checked like every services call: sender, window kind, payload, then the URL rules above.
 */
export function registerAppActions(options: AppActionsOptions): Disposable {
  const { ipcMain, trust, logger } = options;
  ipcMain.handle(OPEN_EXTERNAL_CHANNEL, async (event, ...args: unknown[]): Promise<IpcResult<boolean>> => {
    const sender = senderOf(event);
    const who = checkSender(sender, trust);
    if (!who.ok) {
      logger.warn('IPC request refused', {
        channel: 'openExternal',
        reason: who.reason,
        url: sender.frameUrl,
      });
      return { ok: false, error: who.error };
    }
    if (!APP_ACTIONS.openExternal.includes(who.kind)) {
      return { ok: false, error: `the ${who.kind} window may not open links` };
    }
    const input = urlInput.safeParse(args[0]);
    if (args.length !== 1 || !input.success) return { ok: false, error: 'openExternal takes one URL' };
    const pending = await options.pendingAuthorizationUrls().catch(() => []);
    const decision = externalUrlDecision(input.data, pending);
    if (!decision.ok) {
      logger.warn('refused to open a link', { reason: decision.reason });
      return { ok: false, error: `Gatehouse did not open this address: ${decision.reason}` };
    }
    try {
      await options.openExternal(decision.href);
      return { ok: true, value: true };
    } catch (error) {
      return { ok: false, error: `the browser could not be opened: ${String(error)}` };
    }
  });
  return { dispose: () => ipcMain.removeHandler(OPEN_EXTERNAL_CHANNEL) };
}
