import { z } from 'zod';
import { riskSchema } from './policy.ts';

/** How the person answered an approval. */
export const approvalAnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('allow-once') }),
  z.object({ kind: z.literal('allow-session') }),
  z.object({
    kind: z.literal('allow-always'),
    /** Only allow calls with exactly these argument values. */
    onlyTheseArguments: z.boolean().default(false),
    /** The rule expires after this many minutes. */
    expiresInMinutes: z.number().int().min(1).max(525_600).optional(),
  }),
  z.object({ kind: z.literal('deny'), always: z.boolean().default(false) }),
]);
export type ApprovalAnswer = z.infer<typeof approvalAnswerSchema>;

/** A tools/call held until the person answers. */
export const pendingApprovalSchema = z.object({
  id: z.string(),
  client: z.string(),
  session: z.string(),
  requestId: z.string(),
  server: z.string(),
  tool: z.string(),
  arguments: z.unknown(),
  argumentsHash: z.string(),
  risk: riskSchema,
  ruleId: z.string().optional(),
  reason: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type PendingApproval = z.infer<typeof pendingApprovalSchema>;
