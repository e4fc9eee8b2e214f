import { z } from 'zod';

/** What a rule (or a default) does with a matching tool call. */
export const ruleActionSchema = z.enum(['allow', 'deny', 'ask', 'hide']);
export type RuleAction = z.infer<typeof ruleActionSchema>;

/** What a risk class does when no rule matches (`hide` is only for rules). */
export const defaultActionSchema = z.enum(['allow', 'ask', 'deny']);
export type DefaultAction = z.infer<typeof defaultActionSchema>;

/**
 * How an argument value is compared. `pointer` is an RFC 6901 JSON Pointer into the call's arguments
 * (`""` = the whole arguments object). Semantic checks the schema cannot express (pointer syntax, regex
 * validity and length) are reported by `validateRule` in electron/main/policy/arg-match.ts.
 */
export const argMatchSchema = z.discriminatedUnion('op', [
  z.object({ pointer: z.string(), op: z.literal('equals'), value: z.unknown() }),
  z.object({ pointer: z.string(), op: z.literal('glob'), value: z.string() }),
  z.object({ pointer: z.string(), op: z.literal('regex'), value: z.string() }),
  z.object({ pointer: z.string(), op: z.literal('one-of'), value: z.array(z.unknown()).min(1) }),
]);
export type ArgMatch = z.infer<typeof argMatchSchema>;

/** A policy rule. Unset matchers match anything. */
export const ruleSchema = z.object({
  id: z.string().regex(/^r_[A-Za-z0-9_-]{6,32}$/),
  action: ruleActionSchema,
  /** Glob over server names (`*`, `?`). */
  server: z.string().min(1).max(200).optional(),
  /** Glob over tool names. */
  tool: z.string().min(1).max(200).optional(),
  /** Exact client name. */
  client: z.string().min(1).max(64).optional(),
  args: z.array(argMatchSchema).max(20).default([]),
  expiresAt: z.iso.datetime().optional(),
  note: z.string().max(500).optional(),
  createdAt: z.iso.datetime(),
  /** Who made it: the person, or an approval answer ("always allow"). */
  source: z.enum(['user', 'approval']).default('user'),
});
export type Rule = z.infer<typeof ruleSchema>;

/** Risk classes a tool falls in when no rule matches (from annotations of trusted servers). */
export const riskSchema = z.enum(['read', 'write', 'destructive', 'unknown']);
export type Risk = z.infer<typeof riskSchema>;

/** The default action for each risk class (settings `policy.defaults`). */
export type PolicyDefaults = Record<Risk, DefaultAction>;

/** "Pause writes": every non-read-only call asks (or is denied) until it ends. */
export const pauseSchema = z.object({
  mode: z.enum(['ask', 'deny']),
  /** ISO time it ends; absent means until resumed. */
  until: z.iso.datetime().optional(),
  since: z.iso.datetime(),
});
export type Pause = z.infer<typeof pauseSchema>;

/** A rule as the person writes it (the id, creation time and source are Gatehouse's). */
export const ruleInputSchema = ruleSchema.omit({ id: true, createdAt: true, source: true });
export type RuleInput = z.input<typeof ruleInputSchema>;
