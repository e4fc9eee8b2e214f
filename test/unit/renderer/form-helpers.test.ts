import { describe, expect, it } from 'vitest';
import { approvalAnswerSchema } from '../../../shared/schemas/approvals.ts';
import { auditQuerySchema } from '../../../shared/schemas/audit.ts';
import { alwaysAnswer } from '../../../renderer/src/lib/approval-answer.ts';
import { emptyFilters, queryFromFilters } from '../../../renderer/src/lib/audit-filters.ts';
import { recordFromRows, wordList } from '../../../renderer/src/lib/key-values.ts';
import { pages, parseRoute, routeHash } from '../../../renderer/src/lib/routes.ts';
import { withToggled } from '../../../renderer/src/lib/toggle-set.ts';

describe('recordFromRows', () => {
  it('skips blank rows and refuses duplicates and missing parts', () => {
    expect(
      recordFromRows(
        [
          { key: 'Authorization', value: 'Bearer x' },
          { key: '', value: '' },
        ],
        { what: 'header' },
      ),
    ).toEqual({ value: { Authorization: 'Bearer x' } });
    expect(
      recordFromRows(
        [
          { key: 'X-Key', value: 'a' },
          { key: 'x-key', value: 'b' },
        ],
        { what: 'header', caseInsensitive: true },
      ),
    ).toEqual({ error: 'header "x-key" is given twice' });
    expect(recordFromRows([{ key: 'X', value: '' }], { what: 'header' })).toEqual({
      error: 'header "X" has no value',
    });
    expect(recordFromRows([{ key: '', value: 'v' }], { what: 'header' })).toEqual({
      error: 'header: a value has no name',
    });
  });

  it('splits word lists', () => {
    expect(wordList(' read  write,read\nadmin ')).toEqual(['read', 'write', 'admin']);
    expect(wordList('')).toEqual([]);
  });
});

describe('withToggled', () => {
  it('adds or removes one item in a copy, leaving the original alone', () => {
    const chosen = new Set(['a', 'b']);
    expect([...withToggled(chosen, 'c', true)]).toEqual(['a', 'b', 'c']);
    expect([...withToggled(chosen, 'a', false)]).toEqual(['b']);
    expect([...withToggled(chosen, 'a', true)]).toEqual(['a', 'b']);
    expect([...withToggled(chosen, 'z', false)]).toEqual(['a', 'b']);
    expect([...chosen]).toEqual(['a', 'b']);
  });
});

describe('routes', () => {
  it('maps hashes to pages, the popup, or the overview', () => {
    expect(parseRoute('#/servers')).toBe('servers');
    expect(parseRoute('#/popup')).toBe('popup');
    expect(parseRoute('#/audit?x=1')).toBe('audit');
    expect(parseRoute('')).toBe('overview');
    expect(parseRoute('#/nope')).toBe('overview');
    expect(routeHash('logins')).toBe('#/logins');
  });

  it('labels the navigation exactly as specified', () => {
    expect(pages.map((page) => page.label)).toEqual([
      'Overview',
      'Servers',
      'Clients',
      'Policies',
      'Sessions',
      'Audit',
      'Changes',
      'Logins',
      'Settings',
    ]);
  });
});

describe('alwaysAnswer', () => {
  it('builds valid allow-always answers', () => {
    expect(alwaysAnswer(false, '')).toEqual({ kind: 'allow-always', onlyTheseArguments: false });
    expect(alwaysAnswer(true, '60')).toEqual({
      kind: 'allow-always',
      onlyTheseArguments: true,
      expiresInMinutes: 60,
    });
    expect(approvalAnswerSchema.safeParse(alwaysAnswer(true, '1440')).success).toBe(true);
  });
});

describe('queryFromFilters', () => {
  const now = Date.parse('2026-01-01T12:00:00.000Z');
  it('sends only what is filled in, valid for audit.query', () => {
    expect(queryFromFilters(emptyFilters, now)).toEqual({ kind: 'call' });
    const query = queryFromFilters(
      {
        ...emptyFilters,
        range: '60',
        client: ' cursor ',
        tool: 'echo',
        decision: 'deny',
        outcome: 'denied',
        text: 'x',
      },
      now,
    );
    expect(query).toEqual({
      kind: 'call',
      since: '2026-01-01T11:00:00.000Z',
      client: 'cursor',
      tool: 'echo',
      decision: 'deny',
      outcome: 'denied',
      text: 'x',
    });
    expect(auditQuerySchema.safeParse(query).success).toBe(true);
  });

  it('uses custom from/to', () => {
    const query = queryFromFilters(
      { ...emptyFilters, range: 'custom', from: '2026-01-01T10:00', to: '' },
      now,
    );
    expect(query.since).toBe(new Date('2026-01-01T10:00').toISOString());
    expect(query.until).toBeUndefined();
  });
});
