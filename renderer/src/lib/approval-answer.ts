import type { ApprovalAnswer, PendingApproval } from '../../../shared/schemas/approvals.ts';
import type { ServicesClient } from '../api/services-client.ts';

/** Expiry choices for "Always allow" (minutes; '' = never). */
export const alwaysExpiryOptions = [
  { value: '', label: 'Never expires' },
  { value: '60', label: 'For 1 hour' },
  { value: '1440', label: 'For 1 day' },
  { value: '10080', label: 'For 7 days' },
  { value: '43200', label: 'For 30 days' },
] as const;

/** The answer "Always allow" sends, from the card's options. */
export function alwaysAnswer(onlyTheseArguments: boolean, expiry: string): ApprovalAnswer {
  const minutes = expiry ? Number(expiry) : undefined;
  return minutes
    ? { kind: 'allow-always', onlyTheseArguments, expiresInMinutes: minutes }
    : { kind: 'allow-always', onlyTheseArguments };
}

/** Sends `answer` for `approval`, with the arguments hash of the call as it was shown. */
export function answerApproval(client: ServicesClient, approval: PendingApproval, answer: ApprovalAnswer) {
  return client.call('approvals.answer', { id: approval.id, answer, argumentsHash: approval.argumentsHash });
}
