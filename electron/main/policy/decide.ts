/**
 * # How Gatehouse decides a tool call
 *
 * Every `tools/call` is decided **allow**, **deny**, **ask** (the person approves or denies it) or
 * **hide** (answered as an unknown tool, and left out of `tools/list`) before it reaches the server.
 *
 * 1. **Risk class.** The tool's MCP annotations give its risk. For a *trusted* server: no annotations →
 *    `unknown`; `readOnlyHint: true` → `read`; otherwise `destructiveHint: false` → `write`; otherwise
 *    `destructive`. For an *untrusted* server annotations can only tighten: `destructiveHint: true` →
 *    `destructive`, anything else → `unknown`.
 * 2. **Matching rules.** A rule applies when it has not expired (no `expiresAt`, or `expiresAt` later
 *    than now) and all its matchers match; a matcher that is not set matches anything. `server` and
 *    `tool` are globs (`*` any characters, also none; `?` one character; everything else literal;
 *    whole name, case-sensitive); `client` is an exact client name; each argument matcher picks a
 *    value with an RFC 6901 JSON Pointer (`""` = all arguments, `{}` when the call has none; `/path/0`)
 *    and tests it: `equals` (deep equality, key order irrelevant), `glob` (a string matching the
 *    glob), `regex` (a string of at most 10,000 characters in which the pattern, flag `u`, finds a
 *    match: unanchored) or `one-of` (equal to one of the values). A pointer that finds nothing never matches; neither does a value of
 *    the wrong type, nor an invalid regex (rules with one are refused when saved).
 * 3. **Most specific rule wins.** Specificity is the sum over the rule's matchers: `server` or `tool`
 *    without glob characters 4 each, with glob characters 2 each, but a pattern made only of `*` 0;
 *    `client` 3; each argument matcher 2. On a tie the more restrictive action wins
 *    (hide > deny > ask > allow); on a further tie the older rule (earlier `createdAt`, then smaller
 *    `id`). The outcome never depends on the order of the rule list.
 * 4. **No rule → default.** When no rule applies, the default for the risk class is used
 *    (settings `policy.defaults`: read allow, write / destructive / unknown ask out of the box).
 * 5. **Allowed for this session.** If the result is *ask* and the person already allowed this tool for
 *    the session, it becomes *allow*. Deny and hide are never loosened this way.
 * 6. **Paused writes.** While writes are paused (no end time, or the end time is later than now), every
 *    tool whose risk is not `read` is tightened after step 5: *allow* becomes the pause mode (*ask* or
 *    *deny*), and *ask* becomes *deny* when the mode is *deny*. Deny and hide are unchanged.
 *
 * Listing (`tools/list`) hides a tool when the winning rule among the unexpired rules **without**
 * argument matchers (arguments are unknown when listing) is *hide*, with the same ranking.
 *
 * Times in reasons are shown in UTC.
 */
import type {
  DefaultAction,
  Pause,
  PolicyDefaults,
  Risk,
  Rule,
  RuleAction,
} from '../../../shared/schemas/policy.ts';
import { argMatches } from './arg-match.ts';
import { hasGlobChars, globMatches, isMatchAll } from './glob.ts';
import { classifyRisk, riskNoun } from './risk.ts';
import type { ToolAnnotations } from './risk.ts';

/** Everything `decide` needs about one call; `now` is passed in so the function stays pure. */
export interface DecideInput {
  client: string;
  server: string;
  tool: string;
  /** The call's `arguments`; absent arguments are treated as `{}`. */
  args: unknown;
  annotations?: ToolAnnotations | null;
  trusted: boolean;
  rules: readonly Rule[];
  defaults: PolicyDefaults;
  pause?: Pause;
  /** The person already answered "allow for this session" for this tool. */
  sessionAllowed?: boolean;
  now: Date;
}

interface DecisionBase {
  risk: Risk;
  /** A short human sentence, e.g. `no rule matched; destructive tools ask by default`. */
  reason: string;
}
/** A rule decided the call. */
export interface RuleDecision extends DecisionBase {
  by: 'rule';
  action: RuleAction;
  ruleId: string;
  ruleNote?: string;
  specificity: number;
}
/** No rule matched: the default for the risk class. */
export interface DefaultDecision extends DecisionBase {
  by: 'default';
  action: DefaultAction;
}
/** An *ask* turned into *allow* by an earlier "allow for this session"; `ruleId` if a rule said ask. */
export interface SessionDecision extends DecisionBase {
  by: 'session';
  action: 'allow';
  ruleId?: string;
}
/** Paused writes tightened the call; `ruleId` if a rule gave the action before the pause. */
export interface PauseDecision extends DecisionBase {
  by: 'pause';
  action: 'ask' | 'deny';
  ruleId?: string;
  /** When the pause ends (ISO time); absent until resumed. */
  pausedUntil?: string;
}
/** The outcome of {@link decide}, discriminated by `by`. */
export type Decision = RuleDecision | DefaultDecision | SessionDecision | PauseDecision;

const RESTRICTIVENESS: Record<RuleAction, number> = { hide: 3, deny: 2, ask: 1, allow: 0 };

/** True while the rule has no expiry or expires later than `now`. */
export function isRuleActive(rule: Rule, now: Date): boolean {
  return rule.expiresAt === undefined || Date.parse(rule.expiresAt) > now.getTime();
}

/**
 * True while writes are paused: no end time, or an end time later than `now`. An unreadable end time
 * (the schema forbids it) counts as still paused, since a pause only ever tightens.
 */
export function isPauseActive(pause: Pause | undefined, now: Date): boolean {
  if (pause === undefined) return false;
  if (pause.until === undefined) return true;
  const end = Date.parse(pause.until);
  return Number.isNaN(end) || end > now.getTime();
}

function patternWeight(pattern: string | undefined): number {
  if (pattern === undefined || isMatchAll(pattern)) return 0;
  return hasGlobChars(pattern) ? 2 : 4;
}

/** Specificity of a rule (step 3 of the module comment). */
export function ruleSpecificity(rule: Rule): number {
  return (
    patternWeight(rule.server) +
    patternWeight(rule.tool) +
    (rule.client === undefined ? 0 : 3) +
    2 * rule.args.length
  );
}

/** True when the rule's server, tool and client matchers match (argument matchers are not looked at). */
export function ruleMatchesTarget(rule: Rule, client: string, server: string, tool: string): boolean {
  return (
    (rule.server === undefined || globMatches(rule.server, server)) &&
    (rule.tool === undefined || globMatches(rule.tool, tool)) &&
    (rule.client === undefined || rule.client === client)
  );
}

/** Orders rules best first: specificity, then restrictiveness, then older `createdAt`, then `id`. */
export function compareRules(a: Rule, b: Rule): number {
  return (
    ruleSpecificity(b) - ruleSpecificity(a) ||
    RESTRICTIVENESS[b.action] - RESTRICTIVENESS[a.action] ||
    Date.parse(a.createdAt) - Date.parse(b.createdAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The winning rule among candidates, or undefined when there are none. */
export function pickWinner(candidates: readonly Rule[]): Rule | undefined {
  let best: Rule | undefined;
  for (const rule of candidates) if (best === undefined || compareRules(rule, best) < 0) best = rule;
  return best;
}

const RULE_VERB: Record<RuleAction, string> = {
  allow: 'allows',
  deny: 'denies',
  ask: 'asks before calling',
  hide: 'hides',
};
const DEFAULT_VERB: Record<DefaultDecision['action'], string> = {
  allow: 'are allowed',
  ask: 'ask',
  deny: 'are denied',
};

/** `14:05 (UTC)`, with the date in front when it is not `now`'s UTC day. */
export function formatUtc(time: Date, now: Date): string {
  const iso = time.toISOString();
  const day = iso.slice(0, 10) === now.toISOString().slice(0, 10) ? '' : `${iso.slice(0, 10)} `;
  return `${day}${iso.slice(11, 16)} (UTC)`;
}

function pauseReason(pause: Pause, tool: string, action: PauseDecision['action'], now: Date): string {
  const end = pause.until === undefined ? NaN : Date.parse(pause.until);
  const until = Number.isNaN(end) ? 'until resumed' : `until ${formatUtc(new Date(end), now)}`;
  return `writes are paused ${until}; ${tool} ${action === 'ask' ? 'needs approval' : 'is denied'}`;
}

/** Decides one tool call (see the module comment for the exact semantics). Pure. */
export function decide(input: DecideInput): Decision {
  const { client, server, tool, now } = input;
  const args = input.args ?? {};
  const risk = classifyRisk(input.annotations, input.trusted);
  const winner = pickWinner(
    input.rules.filter(
      (rule) =>
        isRuleActive(rule, now) &&
        ruleMatchesTarget(rule, client, server, tool) &&
        rule.args.every((match) => argMatches(match, args)),
    ),
  );

  let decision: Decision;
  if (winner === undefined) {
    const action = input.defaults[risk];
    const reason = `no rule matched; ${riskNoun(risk)} ${DEFAULT_VERB[action]} by default`;
    decision = { by: 'default', action, risk, reason };
  } else {
    const note = winner.note === undefined || winner.note === '' ? '' : ` ("${winner.note}")`;
    decision = {
      by: 'rule',
      action: winner.action,
      risk,
      ruleId: winner.id,
      ...(note === '' ? {} : { ruleNote: winner.note }),
      specificity: ruleSpecificity(winner),
      reason: `rule ${winner.id}${note} ${RULE_VERB[winner.action]} ${tool}`,
    };
  }
  const ruleId = decision.by === 'rule' ? { ruleId: decision.ruleId } : {};

  if (decision.action === 'ask' && input.sessionAllowed === true) {
    decision = {
      by: 'session',
      action: 'allow',
      risk,
      ...ruleId,
      reason: `${tool} was allowed for this session`,
    };
  }

  const { pause } = input;
  if (pause !== undefined && isPauseActive(pause, now) && risk !== 'read') {
    let tightened: PauseDecision['action'] | undefined;
    if (decision.action === 'allow') tightened = pause.mode;
    else if (decision.action === 'ask' && pause.mode === 'deny') tightened = 'deny';
    if (tightened !== undefined) {
      decision = {
        by: 'pause',
        action: tightened,
        risk,
        ...ruleId,
        ...(pause.until === undefined ? {} : { pausedUntil: pause.until }),
        reason: pauseReason(pause, tool, tightened, now),
      };
    }
  }
  return decision;
}

/**
 * True when `tools/list` should leave the tool out: the winning rule among unexpired rules without
 * argument matchers that match (client, server, tool) is `hide`.
 */
export function isHiddenFromList(
  client: string,
  server: string,
  tool: string,
  rules: readonly Rule[],
  now: Date,
): boolean {
  const winner = pickWinner(
    rules.filter(
      (rule) =>
        rule.args.length === 0 && isRuleActive(rule, now) && ruleMatchesTarget(rule, client, server, tool),
    ),
  );
  return winner?.action === 'hide';
}
