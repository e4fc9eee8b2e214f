import { describe, expect, it } from 'vitest';
import { ruleInputSchema } from '../../../shared/schemas/policy.ts';
import {
  argMatchFromRow,
  describeArgMatch,
  describeRuleScope,
  emptyRuleDraft,
  ruleInputFromDraft,
} from '../../../renderer/src/lib/rule-form.ts';

const now = Date.parse('2026-01-01T00:00:00.000Z');

describe('ruleInputFromDraft', () => {
  it('leaves blank matchers out and passes the schema', () => {
    const input = ruleInputFromDraft({ ...emptyRuleDraft(), action: 'deny', tool: ' delete_* ' }, now);
    expect(input).toEqual({ action: 'deny', tool: 'delete_*', args: [] });
    expect(ruleInputSchema.safeParse(input).success).toBe(true);
  });

  it('turns the expiry into an absolute time', () => {
    const input = ruleInputFromDraft({ ...emptyRuleDraft(), expiresInMinutes: '60' }, now);
    expect(input).toMatchObject({ expiresAt: '2026-01-01T01:00:00.000Z' });
  });

  it('builds argument matchers of every kind', () => {
    const input = ruleInputFromDraft(
      {
        ...emptyRuleDraft(),
        action: 'allow',
        server: 'github',
        client: 'cursor',
        note: 'team repos',
        args: [
          { pointer: '/repo', op: 'glob', value: 'acme/*' },
          { pointer: '/count', op: 'equals', value: '3' },
          { pointer: '/name', op: 'equals', value: 'plain text' },
          { pointer: '/path', op: 'regex', value: '^/tmp/' },
          { pointer: '/env', op: 'one-of', value: 'dev, test' },
          { pointer: '/n', op: 'one-of', value: '[1, 2]' },
        ],
      },
      now,
    );
    expect(ruleInputSchema.safeParse(input).success).toBe(true);
    expect(input).toMatchObject({
      server: 'github',
      client: 'cursor',
      note: 'team repos',
      args: [
        { pointer: '/repo', op: 'glob', value: 'acme/*' },
        { pointer: '/count', op: 'equals', value: 3 },
        { pointer: '/name', op: 'equals', value: 'plain text' },
        { pointer: '/path', op: 'regex', value: '^/tmp/' },
        { pointer: '/env', op: 'one-of', value: ['dev', 'test'] },
        { pointer: '/n', op: 'one-of', value: [1, 2] },
      ],
    });
  });

  it('reports the first bad row', () => {
    expect(
      ruleInputFromDraft({ ...emptyRuleDraft(), args: [{ pointer: 'repo', op: 'glob', value: 'x' }] }, now),
    ).toEqual({
      error: 'argument path "repo" must start with / (a JSON Pointer, e.g. /path)',
    });
    expect(argMatchFromRow({ pointer: '/p', op: 'regex', value: '(' })).toHaveProperty('error');
    expect(argMatchFromRow({ pointer: '/p', op: 'one-of', value: ' , ' })).toHaveProperty('error');
    expect(ruleInputFromDraft({ ...emptyRuleDraft(), expiresInMinutes: '-5' }, now)).toHaveProperty('error');
  });
});

describe('rule descriptions', () => {
  it('describes scope and argument matchers in words', () => {
    expect(describeRuleScope({})).toBe('every call');
    expect(describeRuleScope({ server: 'github', tool: 'create_*', client: 'cursor' })).toBe(
      'server github, tool create_*, client cursor',
    );
    expect(describeArgMatch({ pointer: '/repo', op: 'glob', value: 'acme/*' })).toBe('/repo glob "acme/*"');
    expect(describeArgMatch({ pointer: '', op: 'equals', value: { a: 1 } })).toBe(
      '(whole arguments) equals {"a":1}',
    );
  });
});
