import { z } from 'zod';
import { servicesContract, type Channel } from '../../../shared/ipc/contract.ts';
import { isChannelAllowed, type WindowKind } from './window-kinds.ts';

/** The facts about an IPC sender that the trust check needs, as plain values. */
export interface IpcSender {
  /** `event.sender.id`. */
  webContentsId: number;
  /** `event.senderFrame?.url`; undefined when the frame is gone. */
  frameUrl: string | undefined;
  /** The message came from the top frame of its page (not an iframe). */
  isMainFrame: boolean;
}

/** What the main process trusts: windows it created (and of which kind), showing pages of its own. */
export interface IpcTrust {
  /** The kind of a live window we created, or undefined for any other webContents. */
  windowKindOf(id: number): WindowKind | undefined;
  isAppUrl(url: string | undefined): boolean;
}

export type IpcRefusal = 'untrusted-sender' | 'channel-not-allowed' | 'invalid-payload';

/** The outcome of {@link checkIpcRequest}, a discriminated union (architecture.md convention 6). */
export type IpcCheck = { ok: true; input: unknown } | { ok: false; reason: IpcRefusal; error: string };

/** The sender part of the check: our window, its top frame, a page of our own. Returns its kind. */
export function checkSender(
  sender: IpcSender,
  trust: IpcTrust,
): { ok: true; kind: WindowKind } | { ok: false; reason: 'untrusted-sender'; error: string } {
  const kind = trust.windowKindOf(sender.webContentsId);
  if (kind === undefined || !sender.isMainFrame || !trust.isAppUrl(sender.frameUrl)) {
    return {
      ok: false,
      reason: 'untrusted-sender',
      error: 'Gatehouse refused a request from an untrusted page',
    };
  }
  return { ok: true, kind };
}

/**
 * Decides whether a services call may run: first who sent it, then whether that kind of window may use
 * the channel (the popup's preload only has a few; a compromised popup must not reach the rest), then
 * what it carries. Why: any frame that manages to load in a window could otherwise call the gateway's
 * services, and the payload is data from another process (Electron security checklist §17; VS Code's
 * ValidatedIpcMain, architecture.md convention 3). The sender check comes first so untrusted frames
 * learn nothing about the expected payloads.
 */
export function checkIpcRequest(
  channel: Channel,
  sender: IpcSender,
  payload: unknown,
  trust: IpcTrust,
): IpcCheck {
  const who = checkSender(sender, trust);
  if (!who.ok) return who;
  if (!isChannelAllowed(who.kind, channel)) {
    return {
      ok: false,
      reason: 'channel-not-allowed',
      error: `the ${who.kind} window may not call ${channel}`,
    };
  }
  const parsed = servicesContract[channel].input.safeParse(payload);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'invalid-payload',
      error: `invalid input for ${channel}: ${z.prettifyError(parsed.error)}`,
    };
  }
  return { ok: true, input: parsed.data };
}
