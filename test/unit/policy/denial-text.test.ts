import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../electron/main/policy/decide.ts';
import { approvalDenialText, denialText } from '../../../electron/main/policy/denial-text.ts';

const TARGET = { server: 'github', tool: 'delete_repo' };
const ALLOW_COMMAND = '`gatehouse policy add --action allow --server github --tool delete_repo`';

describe('denialText (policy decisions)', () => {
  it('names the rule, its note and how to allow the call', () => {
    const decision: Decision = {
      by: 'rule',
      action: 'deny',
      risk: 'destructive',
      ruleId: 'r_abc123',
      ruleNote: 'no deletes',
      specificity: 2,
      reason: 'rule r_abc123 ("no deletes") denies delete_repo',
    };
    expect(denialText(decision, TARGET)).toBe(
      'Gatehouse denied the call to tool "delete_repo" on server "github": policy rule r_abc123 ("no deletes") denies it. ' +
        `If this call is needed, ask the user to allow it in Gatehouse (Policies), or run ${ALLOW_COMMAND}.`,
    );
  });

  it('asks to change the rule when an exact allow rule would not beat it', () => {
    const text = denialText(
      { by: 'rule', action: 'deny', risk: 'unknown', ruleId: 'r_exact8', specificity: 8, reason: '' },
      TARGET,
    );
    expect(text).toContain('policy rule r_exact8 denies it.');
    expect(text).toContain(
      'ask the user to change or remove rule r_exact8 in Gatehouse (Policies), or run `gatehouse policy remove r_exact8`.',
    );
    expect(text).not.toContain('gatehouse policy add');
  });

  it('explains a default denial by risk class', () => {
    expect(denialText({ by: 'default', action: 'deny', risk: 'unknown', reason: '' }, TARGET)).toBe(
      'Gatehouse denied the call to tool "delete_repo" on server "github": no policy rule matched, and tools of unknown risk are denied by default. ' +
        `If this call is needed, ask the user to allow it in Gatehouse (Policies), or run ${ALLOW_COMMAND}.`,
    );
  });

  it('explains paused writes and how to resume', () => {
    const until = denialText(
      { by: 'pause', action: 'deny', risk: 'write', pausedUntil: '2026-11-24T14:05:00.000Z', reason: '' },
      TARGET,
    );
    expect(until).toContain('are paused in Gatehouse until 2026-11-24 14:05 (UTC).');
    expect(until).toContain('`gatehouse resume`');
    const open = denialText(
      { by: 'pause', action: 'deny', risk: 'write', ruleId: 'r_allowx', reason: '' },
      TARGET,
    );
    expect(open).toContain('until the user resumes them.');
  });

  it('answers a hidden tool as unknown, never revealing it', () => {
    expect(
      denialText(
        { by: 'rule', action: 'hide', risk: 'read', ruleId: 'r_hidexx', specificity: 4, reason: 'x' },
        TARGET,
      ),
    ).toBe('Unknown tool: delete_repo');
  });

  it('falls back to the reason for decisions that do not deny', () => {
    expect(denialText({ by: 'session', action: 'allow', risk: 'write', reason: 'because' }, TARGET)).toBe(
      'Gatehouse denied the call to tool "delete_repo" on server "github": because.',
    );
  });

  it('quotes names for the shell and for the text', () => {
    const text = denialText(
      { by: 'default', action: 'deny', risk: 'unknown', reason: '' },
      { server: 'my-server', tool: `it's "odd" $(rm)` },
    );
    expect(text).toContain('tool "it\'s \\"odd\\" $(rm)" on server "my-server"');
    expect(text).toContain(`--server my-server --tool 'it'\\''s "odd" $(rm)'\``);
  });
});

describe('approvalDenialText', () => {
  it('says the user declined and not to retry', () => {
    const text = approvalDenialText({ kind: 'denied-by-user' }, TARGET);
    expect(text).toMatch(
      /^Gatehouse denied the call to tool "delete_repo" on server "github": the user was asked/,
    );
    expect(text).toContain('Do not retry it unless the user asks you to.');
    expect(text).toContain(ALLOW_COMMAND);
  });

  it('gives the timeout', () => {
    expect(approvalDenialText({ kind: 'timeout', timeoutSeconds: 120 }, TARGET)).toContain(
      "it needs the user's approval and there was no answer within 120 s.",
    );
    expect(approvalDenialText({ kind: 'timeout' }, TARGET)).toContain('there was no answer in time.');
  });

  it('says a withdrawn request was never answered', () => {
    const text = approvalDenialText({ kind: 'withdrawn' }, TARGET);
    expect(text).toContain('the approval request was withdrawn before the user answered.');
    expect(text).toContain(ALLOW_COMMAND);
  });
});
