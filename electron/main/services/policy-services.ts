import type { PendingApproval, ApprovalAnswer } from '../../../shared/schemas/approvals.ts';
import type { AuditPage, AuditQueryInput, AuditVerify } from '../../../shared/schemas/audit.ts';
import { ruleInputSchema, type Pause, type Rule, type RuleInput } from '../../../shared/schemas/policy.ts';
import type { Settings } from '../../../shared/schemas/settings.ts';
import { ApprovalError, type ApprovalQueue } from '../policy/approval-queue.ts';
import { validateRule } from '../policy/arg-match.ts';
import { newRuleId } from '../policy/rule-id.ts';
import { ServiceError } from './service-error.ts';

/** What the policy, approval and audit channels need from the core. */
export interface PolicyServiceDeps {
  settings: () => Settings;
  update: (mutate: (draft: Settings) => void) => void;
  /** Present only in a serving process: approvals live in memory while Gatehouse runs. */
  approvals?: ApprovalQueue;
  audit?: { query(q: AuditQueryInput): AuditPage; verify(): AuditVerify };
}

/** Adds a rule after checking it (bad globs or regexes are refused, never saved). */
export function addRule(deps: PolicyServiceDeps, input: RuleInput): Rule {
  const parsed = ruleInputSchema.parse(input);
  const rule: Rule = { ...parsed, id: newRuleId(), createdAt: new Date().toISOString(), source: 'user' };
  const problems = validateRule(rule);
  if (problems.length > 0) {
    throw new ServiceError(problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('; '));
  }
  deps.update((draft) => {
    draft.rules.push(rule);
  });
  return rule;
}

export function removeRule(deps: PolicyServiceDeps, id: string): void {
  if (!deps.settings().rules.some((r) => r.id === id)) throw new ServiceError(`no rule with id "${id}"`);
  deps.update((draft) => {
    draft.rules = draft.rules.filter((r) => r.id !== id);
  });
}

/** Pauses writes: every non-read-only call asks (or is denied) until resumed or the time is up. */
export function pauseWrites(deps: PolicyServiceDeps, mode: 'ask' | 'deny', forMinutes?: number): Pause {
  const now = Date.now();
  const pause: Pause = {
    mode,
    since: new Date(now).toISOString(),
    ...(forMinutes ? { until: new Date(now + forMinutes * 60_000).toISOString() } : {}),
  };
  deps.update((draft) => {
    draft.pause = pause;
  });
  return pause;
}

export function resumeWrites(deps: PolicyServiceDeps): void {
  deps.update((draft) => {
    delete draft.pause;
  });
}

export function listApprovals(deps: PolicyServiceDeps): PendingApproval[] {
  return running(deps.approvals).list();
}

export function answerApproval(
  deps: PolicyServiceDeps,
  id: string,
  answer: ApprovalAnswer,
  argumentsHash?: string,
): void {
  try {
    running(deps.approvals).answer(id, answer, argumentsHash);
  } catch (error) {
    if (error instanceof ApprovalError) throw new ServiceError(error.message);
    throw error;
  }
}

export function auditReader(deps: PolicyServiceDeps): NonNullable<PolicyServiceDeps['audit']> {
  if (!deps.audit) throw new ServiceError('the audit log is not open in this process');
  return deps.audit;
}

function running(approvals: ApprovalQueue | undefined): ApprovalQueue {
  if (!approvals) {
    throw new ServiceError(
      'approvals exist only while Gatehouse runs: start it with `gatehouse serve` or the desktop app',
    );
  }
  return approvals;
}
