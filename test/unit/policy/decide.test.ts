import { describe, expect, it } from 'vitest';
import type { PolicyDefaults, Rule } from '../../../shared/schemas/policy.ts';
import {
  decide,
  formatUtc,
  isHiddenFromList,
  isPauseActive,
  pickWinner,
  ruleSpecificity,
} from '../../../electron/main/policy/decide.ts';
import type { ToolAnnotations } from '../../../electron/main/policy/risk.ts';

import {
  arg,
  DEFAULTS,
  DESTRUCTIVE,
  FUTURE,
  NOW,
  OPEN,
  PAST,
  PAUSE_ASK,
  PAUSE_DENY,
  RO,
  rule,
  STRICT,
  WRITE,
} from './policy-fixtures.ts';

describe('decide: reasons', () => {
  const call = {
    client: 'c',
    server: 'github',
    tool: 'delete_repo',
    args: {},
    trusted: true,
    defaults: DEFAULTS,
    now: NOW,
  };

  it('names the rule and its note', () => {
    const decision = decide({
      ...call,
      rules: [rule('abc123', 'deny', { tool: 'delete_*', note: 'no deletes' })],
    });
    expect(decision).toEqual({
      by: 'rule',
      action: 'deny',
      risk: 'unknown',
      ruleId: 'r_abc123',
      ruleNote: 'no deletes',
      specificity: 2,
      reason: 'rule r_abc123 ("no deletes") denies delete_repo',
    });
    expect(decide({ ...call, rules: [rule('abc123', 'ask')] }).reason).toBe(
      'rule r_abc123 asks before calling delete_repo',
    );
  });

  it.each<[ToolAnnotations | undefined, PolicyDefaults, string]>([
    [DESTRUCTIVE, DEFAULTS, 'no rule matched; destructive tools ask by default'],
    [RO, DEFAULTS, 'no rule matched; read-only tools are allowed by default'],
    [WRITE, STRICT, 'no rule matched; tools that write are allowed by default'],
    [undefined, STRICT, 'no rule matched; tools of unknown risk are denied by default'],
  ])('explains the default for %j', (annotations, defaults, reason) => {
    expect(decide({ ...call, rules: [], defaults, ...(annotations ? { annotations } : {}) }).reason).toBe(
      reason,
    );
  });

  it('explains session allowance and pause', () => {
    expect(decide({ ...call, rules: [], sessionAllowed: true }).reason).toBe(
      'delete_repo was allowed for this session',
    );
    expect(decide({ ...call, rules: [], pause: { ...PAUSE_DENY, until: FUTURE } })).toEqual({
      by: 'pause',
      action: 'deny',
      risk: 'unknown',
      pausedUntil: FUTURE,
      reason: 'writes are paused until 14:05 (UTC); delete_repo is denied',
    });
    expect(decide({ ...call, rules: [], defaults: OPEN, pause: PAUSE_ASK }).reason).toBe(
      'writes are paused until resumed; delete_repo needs approval',
    );
  });
});

describe('helpers', () => {
  it('computes specificity', () => {
    expect(ruleSpecificity(rule('x00000', 'allow'))).toBe(0);
    expect(ruleSpecificity(rule('x00000', 'allow', { server: '*', tool: '***' }))).toBe(0);
    expect(ruleSpecificity(rule('x00000', 'allow', { server: 'github', tool: 'delete_repo' }))).toBe(8);
    expect(ruleSpecificity(rule('x00000', 'allow', { server: 'git*', tool: 'd?', client: 'c' }))).toBe(7);
    expect(ruleSpecificity(rule('x00000', 'allow', { args: [arg('/a', 1), arg('/b', 2)] }))).toBe(4);
  });

  it('picks nothing from no candidates', () => {
    expect(pickWinner([])).toBeUndefined();
  });

  it('formats UTC times with the date when it is another day', () => {
    expect(formatUtc(new Date(FUTURE), NOW)).toBe('14:05 (UTC)');
    expect(formatUtc(new Date('2026-11-25T09:30:00Z'), NOW)).toBe('2026-11-25 09:30 (UTC)');
  });

  it('treats an unreadable pause end as still paused', () => {
    expect(isPauseActive(undefined, NOW)).toBe(false);
    expect(isPauseActive({ ...PAUSE_ASK, until: 'soon' }, NOW)).toBe(true);
    expect(
      decide({
        ...{
          client: 'c',
          server: 's',
          tool: 't',
          args: {},
          trusted: true,
          rules: [],
          defaults: OPEN,
          now: NOW,
        },
        pause: { ...PAUSE_ASK, until: 'soon' },
      }).reason,
    ).toBe('writes are paused until resumed; t needs approval');
  });
});

describe('isHiddenFromList', () => {
  const hidden = (rules: Rule[], client = 'claude-code') =>
    isHiddenFromList(client, 'github', 'delete_repo', rules, NOW);

  it.each<[string, Rule[], boolean]>([
    ['no rules', [], false],
    ['a hide rule for the tool', [rule('hidexx', 'hide', { tool: 'delete_*' })], true],
    ['a hide rule for the whole server', [rule('hidexx', 'hide', { server: 'github' })], true],
    ['a hide rule for another server', [rule('hidexx', 'hide', { server: 'gitlab' })], false],
    [
      'a hide rule with arg matchers is ignored',
      [rule('hidexx', 'hide', { tool: 'delete_repo', args: [arg('/force', true)] })],
      false,
    ],
    ['an expired hide rule', [rule('hidexx', 'hide', { tool: 'delete_repo', expiresAt: PAST })], false],
    [
      'a more specific allow wins over hide',
      [
        rule('hidexx', 'hide', { server: 'github' }),
        rule('allowx', 'allow', { server: 'github', tool: 'delete_repo' }),
      ],
      false,
    ],
    [
      'a more specific deny wins over hide (listed, then denied)',
      [rule('hidexx', 'hide', { tool: 'delete_*' }), rule('denyxx', 'deny', { tool: 'delete_repo' })],
      false,
    ],
    [
      'hide wins a tie',
      [rule('allowx', 'allow', { server: 'github' }), rule('hidexx', 'hide', { tool: 'delete_repo' })],
      true,
    ],
    [
      'a more specific arg rule does not unhide',
      [
        rule('hidexx', 'hide', { tool: 'delete_repo' }),
        rule('allowx', 'allow', { tool: 'delete_repo', args: [arg('/force', false)] }),
      ],
      true,
    ],
    ['client-specific hide for this client', [rule('hidexx', 'hide', { client: 'claude-code' })], true],
  ])('%s → %s', (_name, rules, expected) => {
    expect(hidden(rules)).toBe(expected);
  });

  it('a client-specific hide does not hide from other clients', () => {
    expect(hidden([rule('hidexx', 'hide', { client: 'claude-code' })], 'cursor')).toBe(false);
  });
});
