import type { ArgMatch, Pause, PolicyDefaults, Rule, RuleAction } from '../../../shared/schemas/policy.ts';
import type { ToolAnnotations } from '../../../electron/main/policy/risk.ts';

/** Shared clock, defaults, annotations, pauses and rule builders for the policy decision tests. */
export const NOW = new Date('2026-11-24T12:00:00.000Z');
export const PAST = '2026-11-24T11:59:59.999Z';
export const FUTURE = '2026-11-24T14:05:00.000Z';
export const OLD = '2026-01-01T00:00:00.000Z';

export const DEFAULTS: PolicyDefaults = { read: 'allow', write: 'ask', destructive: 'ask', unknown: 'ask' };
export const STRICT: PolicyDefaults = { read: 'allow', write: 'allow', destructive: 'deny', unknown: 'deny' };
export const OPEN: PolicyDefaults = { read: 'allow', write: 'allow', destructive: 'allow', unknown: 'allow' };

export const RO: ToolAnnotations = { readOnlyHint: true };
export const WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false };
export const DESTRUCTIVE: ToolAnnotations = { destructiveHint: true };

export const PAUSE_ASK: Pause = { mode: 'ask', since: OLD };
export const PAUSE_DENY: Pause = { mode: 'deny', since: OLD };

/** A rule with an id `r_<name>`; fields override the defaults. */
export function rule(name: string, action: RuleAction, fields: Partial<Rule> = {}): Rule {
  return { id: `r_${name}`, action, args: [], createdAt: OLD, source: 'user', ...fields };
}
export const arg = (pointer: string, value: unknown): ArgMatch => ({ pointer, op: 'equals', value });
