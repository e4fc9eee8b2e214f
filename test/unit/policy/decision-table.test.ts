import { describe, expect, it } from 'vitest';
import type { Pause, PolicyDefaults, Rule } from '../../../shared/schemas/policy.ts';
import { decide, type Decision } from '../../../electron/main/policy/decide.ts';
import type { ToolAnnotations } from '../../../electron/main/policy/risk.ts';

import {
  arg,
  DEFAULTS,
  DESTRUCTIVE,
  FUTURE,
  NOW,
  OLD,
  OPEN,
  PAST,
  PAUSE_ASK,
  PAUSE_DENY,
  RO,
  rule,
  STRICT,
  WRITE,
} from './policy-fixtures.ts';

const NEW = '2026-06-01T00:00:00.000Z';

interface Row {
  name: string;
  rules?: Rule[];
  server?: string;
  tool?: string;
  client?: string;
  args?: unknown;
  annotations?: ToolAnnotations;
  trusted?: boolean;
  defaults?: PolicyDefaults;
  pause?: Pause;
  session?: boolean;
  /** action, by, winning rule id (name without `r_`), risk */
  want: [Decision['action'], Decision['by'], string?, string?];
}

// The call under test is claude-code → github/delete_repo { repo: 'me/app', force: true } unless a row says otherwise.
const TABLE: Row[] = [
  // Defaults by risk class (no rule matches)
  {
    name: 'no rules, trusted read-only → read default',
    annotations: RO,
    want: ['allow', 'default', undefined, 'read'],
  },
  {
    name: 'no rules, trusted write → write default',
    annotations: WRITE,
    want: ['ask', 'default', undefined, 'write'],
  },
  {
    name: 'no rules, trusted destructive',
    annotations: DESTRUCTIVE,
    want: ['ask', 'default', undefined, 'destructive'],
  },
  { name: 'no rules, trusted no annotations → unknown', want: ['ask', 'default', undefined, 'unknown'] },
  {
    name: 'trusted empty annotations → destructive',
    annotations: {},
    defaults: STRICT,
    want: ['deny', 'default', undefined, 'destructive'],
  },
  {
    name: 'untrusted read-only hint is ignored',
    annotations: RO,
    trusted: false,
    defaults: STRICT,
    want: ['deny', 'default', undefined, 'unknown'],
  },
  {
    name: 'untrusted write hint is ignored',
    annotations: WRITE,
    trusted: false,
    defaults: STRICT,
    want: ['deny', 'default', undefined, 'unknown'],
  },
  {
    name: 'untrusted destructive hint tightens',
    annotations: { readOnlyHint: true, destructiveHint: true },
    trusted: false,
    defaults: { ...OPEN, destructive: 'deny' },
    want: ['deny', 'default', undefined, 'destructive'],
  },
  {
    name: 'trusted write with strict defaults → allow',
    annotations: WRITE,
    defaults: STRICT,
    want: ['allow', 'default', undefined, 'write'],
  },

  // Matchers
  {
    name: 'exact server + tool allow',
    rules: [rule('allow01', 'allow', { server: 'github', tool: 'delete_repo' })],
    want: ['allow', 'rule', 'allow01'],
  },
  {
    name: 'server glob does not match',
    rules: [rule('gitlab', 'allow', { server: 'gitlab*' })],
    want: ['ask', 'default'],
  },
  {
    name: 'tool glob deny',
    rules: [rule('deletes', 'deny', { tool: 'delete_*' })],
    want: ['deny', 'rule', 'deletes'],
  },
  {
    name: 'glob specials are literal',
    rules: [rule('dotted', 'allow', { tool: 'delete.repo' })],
    want: ['ask', 'default'],
  },
  {
    name: 'client must be exact (other client)',
    rules: [rule('cursor', 'deny', { client: 'cursor' })],
    want: ['ask', 'default'],
  },
  {
    name: 'client must be exact (no glob)',
    rules: [rule('claude', 'deny', { client: 'claude-*' })],
    want: ['ask', 'default'],
  },
  {
    name: 'client matches',
    rules: [rule('claude', 'deny', { client: 'claude-code' })],
    want: ['deny', 'rule', 'claude'],
  },
  {
    name: 'arg equals matches',
    rules: [rule('force1', 'deny', { args: [arg('/force', true)] })],
    want: ['deny', 'rule', 'force1'],
  },
  {
    name: 'arg equals mismatch',
    rules: [rule('force1', 'deny', { args: [arg('/force', false)] })],
    want: ['ask', 'default'],
  },
  {
    name: 'all arg matchers must match',
    rules: [rule('both01', 'deny', { args: [arg('/force', true), arg('/repo', 'x/y')] })],
    want: ['ask', 'default'],
  },
  {
    name: 'arg pointer to nothing never matches',
    rules: [rule('missing', 'deny', { args: [arg('/branch', null)] })],
    want: ['ask', 'default'],
  },
  {
    name: 'regex on a non-string never matches',
    rules: [rule('regex1', 'deny', { args: [{ pointer: '/force', op: 'regex', value: 'true' }] })],
    want: ['ask', 'default'],
  },
  {
    name: 'invalid regex never matches',
    rules: [rule('regex2', 'deny', { args: [{ pointer: '/repo', op: 'regex', value: '[' }] })],
    want: ['ask', 'default'],
  },
  {
    name: 'one-of matches',
    rules: [
      rule('oneof1', 'allow', { args: [{ pointer: '/repo', op: 'one-of', value: ['me/app', 'me/web'] }] }),
    ],
    want: ['allow', 'rule', 'oneof1'],
  },
  {
    name: 'absent arguments are {}',
    args: undefined,
    rules: [rule('noargs', 'allow', { args: [arg('', {})] })],
    want: ['allow', 'rule', 'noargs'],
  },

  // Specificity
  {
    name: 'a match-all rule still beats the default',
    rules: [rule('starall', 'allow', { server: '*', tool: '*' })],
    want: ['allow', 'rule', 'starall'],
  },
  {
    name: 'exact tool (4) beats server * (0)',
    rules: [rule('srvstar', 'deny', { server: '*' }), rule('exactt', 'allow', { tool: 'delete_repo' })],
    want: ['allow', 'rule', 'exactt'],
  },
  {
    name: 'exact tool (4) beats tool glob (2)',
    rules: [rule('deletes', 'deny', { tool: 'delete_*' }), rule('exactt', 'allow', { tool: 'delete_repo' })],
    want: ['allow', 'rule', 'exactt'],
  },
  {
    name: 'client (3) beats tool glob (2)',
    rules: [
      rule('deletes', 'deny', { tool: 'delete_*' }),
      rule('claude', 'allow', { client: 'claude-code' }),
    ],
    want: ['allow', 'rule', 'claude'],
  },
  {
    name: 'exact tool (4) beats client (3)',
    rules: [
      rule('exactt', 'deny', { tool: 'delete_repo' }),
      rule('claude', 'allow', { client: 'claude-code' }),
    ],
    want: ['deny', 'rule', 'exactt'],
  },
  {
    name: 'exact server+tool (8) beats glob server+tool+client (7)',
    rules: [
      rule('exact8', 'allow', { server: 'github', tool: 'delete_repo' }),
      rule('glob7', 'deny', { server: 'git*', tool: 'delete_*', client: 'claude-code' }),
    ],
    want: ['allow', 'rule', 'exact8'],
  },
  {
    name: 'arg matcher (2) + exact tool (4) beats exact server+tool? no: 6 < 8',
    rules: [
      rule('exact8', 'allow', { server: 'github', tool: 'delete_repo' }),
      rule('args6', 'deny', { tool: 'delete_repo', args: [arg('/force', true)] }),
    ],
    want: ['allow', 'rule', 'exact8'],
  },
  {
    name: 'two arg matchers (4) + exact server+tool (8) = 12 wins',
    rules: [
      rule('exact8', 'deny', { server: 'github', tool: 'delete_repo' }),
      rule('args12', 'allow', {
        server: 'github',
        tool: 'delete_repo',
        args: [arg('/force', true), arg('/repo', 'me/app')],
      }),
    ],
    want: ['allow', 'rule', 'args12'],
  },
  {
    name: '** counts as * (0)',
    rules: [rule('twostar', 'deny', { tool: '**' }), rule('srvglob', 'allow', { server: 'git?ub' })],
    want: ['allow', 'rule', 'srvglob'],
  },

  // Tie-breaks
  {
    name: 'tie: ask beats allow',
    rules: [rule('server4', 'allow', { server: 'github' }), rule('tool4xx', 'ask', { tool: 'delete_repo' })],
    annotations: RO,
    want: ['ask', 'rule', 'tool4xx', 'read'],
  },
  {
    name: 'tie: deny beats ask',
    rules: [rule('denyxx', 'deny', { tool: 'delete_*' }), rule('askxxx', 'ask', { server: 'git*' })],
    want: ['deny', 'rule', 'denyxx'],
  },
  {
    name: 'tie: hide beats deny',
    rules: [rule('denyxx', 'deny', { tool: 'delete_repo' }), rule('hidexx', 'hide', { server: 'github' })],
    want: ['hide', 'rule', 'hidexx'],
  },
  {
    name: 'tie: arg matcher (2) vs tool glob (2), deny wins',
    rules: [
      rule('globall', 'allow', { tool: 'delete_*' }),
      rule('argdeny', 'deny', { args: [arg('/force', true)] }),
    ],
    want: ['deny', 'rule', 'argdeny'],
  },
  {
    name: 'tie: same action → older createdAt',
    rules: [
      rule('aaanew', 'deny', { tool: 'delete_repo', createdAt: NEW }),
      rule('zzzold', 'deny', { tool: 'delete_repo', createdAt: OLD }),
    ],
    want: ['deny', 'rule', 'zzzold'],
  },
  {
    name: 'tie: same createdAt → smaller id',
    rules: [rule('bbbbbb', 'deny', { tool: 'delete_repo' }), rule('aaaaaa', 'deny', { tool: 'delete_repo' })],
    want: ['deny', 'rule', 'aaaaaa'],
  },

  // Expiry
  {
    name: 'expired rule is ignored',
    rules: [rule('expired', 'allow', { expiresAt: PAST })],
    want: ['ask', 'default'],
  },
  {
    name: 'a rule expiring exactly now is expired',
    rules: [rule('nowexp', 'allow', { expiresAt: NOW.toISOString() })],
    want: ['ask', 'default'],
  },
  {
    name: 'unexpired rule applies',
    rules: [rule('future', 'allow', { expiresAt: FUTURE })],
    want: ['allow', 'rule', 'future'],
  },
  {
    name: 'expired specific allow falls back to a general deny',
    rules: [
      rule('expired', 'allow', { server: 'github', tool: 'delete_repo', expiresAt: PAST }),
      rule('general', 'deny', { server: '*' }),
    ],
    want: ['deny', 'rule', 'general'],
  },

  // Session allowance
  { name: 'default ask + session → allow', session: true, want: ['allow', 'session'] },
  {
    name: 'rule ask + session → allow, keeps rule id',
    session: true,
    rules: [rule('askxxx', 'ask', { tool: 'delete_repo' })],
    want: ['allow', 'session', 'askxxx'],
  },
  {
    name: 'rule deny is not loosened by session',
    session: true,
    rules: [rule('denyxx', 'deny', { tool: 'delete_repo' })],
    want: ['deny', 'rule', 'denyxx'],
  },
  {
    name: 'default deny is not loosened by session',
    session: true,
    defaults: STRICT,
    annotations: DESTRUCTIVE,
    want: ['deny', 'default'],
  },
  {
    name: 'hide is not loosened by session',
    session: true,
    rules: [rule('hidexx', 'hide', { tool: 'delete_repo' })],
    want: ['hide', 'rule', 'hidexx'],
  },
  {
    name: 'allow stays a rule allow with session',
    session: true,
    rules: [rule('allowx', 'allow', { tool: 'delete_repo' })],
    want: ['allow', 'rule', 'allowx'],
  },

  // Paused writes
  {
    name: 'pause ask: default allow on a write → ask',
    pause: PAUSE_ASK,
    annotations: WRITE,
    defaults: STRICT,
    want: ['ask', 'pause'],
  },
  {
    name: 'pause deny: rule allow → deny, keeps rule id',
    pause: PAUSE_DENY,
    rules: [rule('allowx', 'allow', { tool: 'delete_repo' })],
    want: ['deny', 'pause', 'allowx'],
  },
  { name: 'pause ask: ask stays a default ask', pause: PAUSE_ASK, want: ['ask', 'default'] },
  { name: 'pause deny: default ask → deny', pause: PAUSE_DENY, want: ['deny', 'pause'] },
  {
    name: 'pause deny: reads are exempt',
    pause: PAUSE_DENY,
    annotations: RO,
    want: ['allow', 'default', undefined, 'read'],
  },
  {
    name: 'pause deny: read allowed by rule is exempt',
    pause: PAUSE_DENY,
    annotations: RO,
    rules: [rule('allowx', 'allow', { tool: 'delete_repo' })],
    want: ['allow', 'rule', 'allowx', 'read'],
  },
  {
    name: 'pause: untrusted read-only hint is not a read',
    pause: PAUSE_DENY,
    annotations: RO,
    trusted: false,
    defaults: OPEN,
    want: ['deny', 'pause', undefined, 'unknown'],
  },
  {
    name: 'pause deny: a deny rule stays the rule',
    pause: PAUSE_DENY,
    rules: [rule('denyxx', 'deny', { tool: 'delete_repo' })],
    want: ['deny', 'rule', 'denyxx'],
  },
  {
    name: 'pause deny: hide stays hide',
    pause: PAUSE_DENY,
    rules: [rule('hidexx', 'hide', { tool: 'delete_repo' })],
    want: ['hide', 'rule', 'hidexx'],
  },
  { name: 'pause ask after session allowance', pause: PAUSE_ASK, session: true, want: ['ask', 'pause'] },
  {
    name: 'pause deny after session allowance',
    pause: PAUSE_DENY,
    session: true,
    rules: [rule('askxxx', 'ask')],
    want: ['deny', 'pause', 'askxxx'],
  },
  {
    name: 'pause with a future end is active',
    pause: { ...PAUSE_DENY, until: FUTURE },
    defaults: OPEN,
    want: ['deny', 'pause'],
  },
  {
    name: 'pause that ended is ignored',
    pause: { ...PAUSE_DENY, until: PAST },
    defaults: OPEN,
    want: ['allow', 'default'],
  },
  {
    name: 'pause ending exactly now has ended',
    pause: { ...PAUSE_DENY, until: NOW.toISOString() },
    defaults: OPEN,
    want: ['allow', 'default'],
  },
];

describe('decide: the decision table', () => {
  it('has enough rows', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
  });

  it.each(TABLE)('$name', (row) => {
    const input = {
      client: row.client ?? 'claude-code',
      server: row.server ?? 'github',
      tool: row.tool ?? 'delete_repo',
      args: 'args' in row ? row.args : { repo: 'me/app', force: true },
      ...(row.annotations === undefined ? {} : { annotations: row.annotations }),
      trusted: row.trusted ?? true,
      rules: row.rules ?? [],
      defaults: row.defaults ?? DEFAULTS,
      ...(row.pause === undefined ? {} : { pause: row.pause }),
      sessionAllowed: row.session ?? false,
      now: NOW,
    };
    const [action, by, ruleName, risk] = row.want;
    const decision = decide(input);
    expect({ action: decision.action, by: decision.by }).toEqual({ action, by });
    expect('ruleId' in decision ? decision.ruleId : undefined).toBe(ruleName && `r_${ruleName}`);
    if (risk !== undefined) expect(decision.risk).toBe(risk);
    // The outcome never depends on the order of the rules.
    expect(decide({ ...input, rules: [...input.rules].reverse() })).toEqual(decision);
  });
});
