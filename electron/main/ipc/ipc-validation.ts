import { z } from 'zod';
import { servicesContract, type Channel } from '../../../shared/ipc/contract.ts';

/** The facts about an IPC sender that the trust check needs, as plain values. */
export interface IpcSender {
  /** `event.sender.id`. */
  webContentsId: number;
  /** `event.senderFrame?.url`; undefined when the frame is gone. */
  frameUrl: string | undefined;
  /** The message came from the top frame of its page (not an iframe). */
  isMainFrame: boolean;
}

/** What the main process trusts: windows it created, showing pages of its own. */
export interface IpcTrust {
  isOurWebContents(id: number): boolean;
  isAppUrl(url: string | undefined): boolean;
}

/** The outcome of {@link checkIpcRequest}, a discriminated union (architecture.md convention 6). */
export type IpcCheck =
  { ok: true; input: unknown } | { ok: false; reason: 'untrusted-sender' | 'invalid-payload'; error: string };

/**
 * Decides whether a services call may run: first who sent it, then what it carries. Why: any frame
 * that manages to load in a window could otherwise call the gateway's services, and the payload is
 * data from another process (Electron security checklist §17; VS Code's ValidatedIpcMain,
 * architecture.md convention 3). The sender check comes first so untrusted frames learn nothing
 * about the expected payloads.
 */
export function checkIpcRequest(
  channel: Channel,
  sender: IpcSender,
  payload: unknown,
  trust: IpcTrust,
): IpcCheck {
  if (
    !trust.isOurWebContents(sender.webContentsId) ||
    !sender.isMainFrame ||
    !trust.isAppUrl(sender.frameUrl)
  ) {
    return {
      ok: false,
      reason: 'untrusted-sender',
      error: 'Gatehouse refused a request from an untrusted page',
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
