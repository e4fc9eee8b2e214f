import crypto from 'node:crypto';
import type { ApprovalAnswer, PendingApproval } from '../../../shared/schemas/approvals.ts';
import { Emitter, type Event } from '../base/emitter.ts';

/** How a held call ended. */
export type ApprovalResult =
  | { outcome: 'answered'; answer: ApprovalAnswer; latencyMs: number }
  | { outcome: 'timeout'; timeoutSeconds: number }
  | { outcome: 'withdrawn'; why: string };

export type ApprovalRequest = Omit<PendingApproval, 'id' | 'createdAt' | 'expiresAt'>;

export class ApprovalError extends Error {}

interface Entry {
  approval: PendingApproval;
  started: number;
  timer: NodeJS.Timeout;
  resolve(result: ApprovalResult): void;
}

/**
 * Calls waiting for the person. Each approval is bound to one exact request (client, session,
 * request id, arguments hash) by its random id: answering resolves that request only, once. No answer
 * in time is a denial (performance-and-reliability.md §6.3 I).
 */
export class ApprovalQueue {
  readonly #pending = new Map<string, Entry>();
  readonly #onDidChange = new Emitter<{ type: 'added' | 'resolved'; approval: PendingApproval }>();

  /** Fires when an approval is added or leaves the queue (answered, timed out, withdrawn). */
  readonly onDidChange: Event<{ type: 'added' | 'resolved'; approval: PendingApproval }> =
    this.#onDidChange.event;

  /** Holds a call; the promise settles when it is answered, times out or is withdrawn. */
  ask(
    request: ApprovalRequest,
    timeoutSeconds: number,
  ): { approval: PendingApproval; result: Promise<ApprovalResult> } {
    const now = Date.now();
    const approval: PendingApproval = {
      ...request,
      id: `ap_${crypto.randomBytes(12).toString('base64url')}`,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + timeoutSeconds * 1000).toISOString(),
    };
    const result = new Promise<ApprovalResult>((resolve) => {
      const timer = setTimeout(
        () => this.#settle(approval.id, { outcome: 'timeout', timeoutSeconds }),
        timeoutSeconds * 1000,
      );
      this.#pending.set(approval.id, { approval, started: now, timer, resolve });
    });
    this.#onDidChange.fire({ type: 'added', approval });
    return { approval, result };
  }

  /** Answers one pending approval. `argumentsHash`, when given, must match (guards a stale UI). */
  answer(id: string, answer: ApprovalAnswer, argumentsHash?: string): PendingApproval {
    const entry = this.#pending.get(id);
    if (!entry)
      throw new ApprovalError(
        `no pending approval "${id}" (it may have been answered, withdrawn or timed out)`,
      );
    if (argumentsHash !== undefined && argumentsHash !== entry.approval.argumentsHash) {
      throw new ApprovalError('the arguments of this call are not the ones shown; refusing to answer');
    }
    this.#settle(id, { outcome: 'answered', answer, latencyMs: Date.now() - entry.started });
    return entry.approval;
  }

  /** Withdraws every approval matching `predicate` (client cancelled, session ended, shutdown). */
  withdraw(predicate: (approval: PendingApproval) => boolean, why: string): void {
    for (const [id, entry] of this.#pending)
      if (predicate(entry.approval)) this.#settle(id, { outcome: 'withdrawn', why });
  }

  list(): PendingApproval[] {
    return [...this.#pending.values()].map((e) => e.approval);
  }

  get size(): number {
    return this.#pending.size;
  }

  dispose(): void {
    this.withdraw(() => true, 'Gatehouse is shutting down');
    this.#onDidChange.dispose();
  }

  #settle(id: string, result: ApprovalResult): void {
    const entry = this.#pending.get(id);
    if (!entry) return;
    this.#pending.delete(id);
    clearTimeout(entry.timer);
    entry.resolve(result);
    this.#onDidChange.fire({ type: 'resolved', approval: entry.approval });
  }
}
