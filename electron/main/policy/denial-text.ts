import type { Decision } from './decide.ts';
import { riskNoun } from './risk.ts';

/**
 * Texts a model reads when Gatehouse refuses a call: the `text` of a `CallToolResult` with
 * `isError: true` (mcp-protocol-notes.md §5.6), so the model sees the refusal and can adapt instead of
 * retrying blindly. Each says what was refused (tool and server), why (rule id and note, the default,
 * paused writes, the person's answer, a timeout) and how the person can change it.
 */

/** Which call was refused. */
export interface DenialTarget {
  server: string;
  tool: string;
}

/** How an approval (an *ask*) ended without allowing the call. */
export interface ApprovalOutcome {
  kind: 'denied-by-user' | 'timeout' | 'withdrawn';
  /** How long the person had to answer (for `timeout`). */
  timeoutSeconds?: number;
}

/** Specificity of `--server S --tool T` without glob characters: such a rule beats anything less specific. */
const EXACT_RULE_SPECIFICITY = 8;

/** Quotes a word for a POSIX shell when it holds anything but safe characters. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9._/:@=+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function subject({ server, tool }: DenialTarget): string {
  return `tool ${JSON.stringify(tool)} on server ${JSON.stringify(server)}`;
}

/** "ask the user to allow it in Gatehouse (Policies), or run `gatehouse policy add …`" */
function allowAdvice({ server, tool }: DenialTarget): string {
  const command = `gatehouse policy add --action allow --server ${shellWord(server)} --tool ${shellWord(tool)}`;
  return `If this call is needed, ask the user to allow it in Gatehouse (Policies), or run \`${command}\`.`;
}

/** `2026-11-24 14:05 (UTC)` */
function utcText(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const text = new Date(time).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} (UTC)`;
}

/**
 * The text for a call refused by policy: a `deny` from a rule, from the default for the tool's risk
 * class, or from paused writes. A `hide` decision reads `Unknown tool: T`, as the gateway answers for
 * hidden tools (it never says the tool exists). Other decisions do not refuse a call; they get a
 * generic text built from their reason.
 */
export function denialText(decision: Decision, target: DenialTarget): string {
  const what = `Gatehouse denied the call to ${subject(target)}`;
  if (decision.action === 'hide') return `Unknown tool: ${target.tool}`;
  switch (decision.by) {
    case 'rule': {
      if (decision.action !== 'deny') break;
      const note = decision.ruleNote === undefined ? '' : ` ("${decision.ruleNote}")`;
      const advice =
        decision.specificity < EXACT_RULE_SPECIFICITY
          ? allowAdvice(target)
          : `If this call is needed, ask the user to change or remove rule ${decision.ruleId} in Gatehouse (Policies), or run \`gatehouse policy remove ${decision.ruleId}\`.`;
      return `${what}: policy rule ${decision.ruleId}${note} denies it. ${advice}`;
    }
    case 'default':
      if (decision.action !== 'deny') break;
      return `${what}: no policy rule matched, and ${riskNoun(decision.risk)} are denied by default. ${allowAdvice(target)}`;
    case 'pause': {
      if (decision.action !== 'deny') break;
      const until =
        decision.pausedUntil === undefined
          ? 'until the user resumes them'
          : `until ${utcText(decision.pausedUntil)}`;
      return (
        `${what}: writes (every call that is not read-only) are paused in Gatehouse ${until}. ` +
        'If this call is needed, ask the user to resume writes in Gatehouse, or run `gatehouse resume`.'
      );
    }
    case 'session':
      break;
  }
  return `${what}: ${decision.reason}.`;
}

/** The text for a call that needed approval and was not allowed: denied by the person, unanswered or withdrawn. */
export function approvalDenialText(outcome: ApprovalOutcome, target: DenialTarget): string {
  const what = `Gatehouse denied the call to ${subject(target)}`;
  switch (outcome.kind) {
    case 'denied-by-user':
      return (
        `${what}: the user was asked to approve it and said no. ` +
        `Do not retry it unless the user asks you to. ${allowAdvice(target)}`
      );
    case 'timeout': {
      const within = outcome.timeoutSeconds === undefined ? 'in time' : `within ${outcome.timeoutSeconds} s`;
      return (
        `${what}: it needs the user's approval and there was no answer ${within}. ` +
        `Ask the user to watch for the Gatehouse approval prompt before retrying. ${allowAdvice(target)}`
      );
    }
    case 'withdrawn':
      return `${what}: the approval request was withdrawn before the user answered. ${allowAdvice(target)}`;
  }
}
