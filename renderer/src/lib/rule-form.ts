import type { ArgMatch, Rule, RuleInput } from '../../../shared/schemas/policy.ts';

/** One argument matcher row as the editor holds it (all text). */
export interface ArgRow {
  pointer: string;
  op: ArgMatch['op'];
  value: string;
}

/** The rule editor's fields, all as typed. */
export interface RuleDraft {
  action: RuleInput['action'];
  server: string;
  tool: string;
  client: string;
  args: ArgRow[];
  /** Minutes until the rule expires; '' = never. */
  expiresInMinutes: string;
  note: string;
}

export const emptyRuleDraft = (): RuleDraft => ({
  action: 'ask',
  server: '',
  tool: '',
  client: '',
  args: [],
  expiresInMinutes: '',
  note: '',
});

/** An `equals` value: JSON when it parses (`3`, `true`, `"x"`, `{…}`), else the text itself. */
function looseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** One row as an argument matcher, or the reason it cannot be one. */
export function argMatchFromRow(row: ArgRow): ArgMatch | { error: string } {
  const pointer = row.pointer.trim();
  if (pointer !== '' && !pointer.startsWith('/')) {
    return { error: `argument path "${pointer}" must start with / (a JSON Pointer, e.g. /path)` };
  }
  switch (row.op) {
    case 'equals':
      return { pointer, op: 'equals', value: looseJson(row.value.trim()) };
    case 'glob':
      return { pointer, op: 'glob', value: row.value };
    case 'regex':
      try {
        new RegExp(row.value);
      } catch {
        return { error: `argument ${pointer || '(whole)'}: not a valid regular expression` };
      }
      return { pointer, op: 'regex', value: row.value };
    case 'one-of': {
      const parsed = looseJson(row.value.trim());
      const values = Array.isArray(parsed)
        ? (parsed as unknown[])
        : row.value
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean)
            .map(looseJson);
      if (values.length === 0) return { error: `argument ${pointer || '(whole)'}: list at least one value` };
      return { pointer, op: 'one-of', value: values };
    }
  }
}

/** The draft as `policy.add` input, or the first problem to show next to the form. */
export function ruleInputFromDraft(draft: RuleDraft, now: number): RuleInput | { error: string } {
  const args: ArgMatch[] = [];
  for (const row of draft.args) {
    const match = argMatchFromRow(row);
    if ('error' in match) return match;
    args.push(match);
  }
  const input: RuleInput = { action: draft.action, args };
  if (draft.server.trim()) input.server = draft.server.trim();
  if (draft.tool.trim()) input.tool = draft.tool.trim();
  if (draft.client.trim()) input.client = draft.client.trim();
  if (draft.note.trim()) input.note = draft.note.trim();
  if (draft.expiresInMinutes) {
    const minutes = Number(draft.expiresInMinutes);
    if (!Number.isFinite(minutes) || minutes <= 0)
      return { error: 'expiry must be a positive number of minutes' };
    input.expiresAt = new Date(now + minutes * 60_000).toISOString();
  }
  return input;
}

/** An argument matcher as one line of text: `/path glob "src/*"`. */
export function describeArgMatch(match: ArgMatch): string {
  const pointer = match.pointer || '(whole arguments)';
  return `${pointer} ${match.op} ${JSON.stringify(match.value)}`;
}

/** What a rule matches, in words: `server github, tool create_*, client cursor` or `every call`. */
export function describeRuleScope(rule: Pick<Rule, 'server' | 'tool' | 'client'>): string {
  const parts: string[] = [];
  if (rule.server) parts.push(`server ${rule.server}`);
  if (rule.tool) parts.push(`tool ${rule.tool}`);
  if (rule.client) parts.push(`client ${rule.client}`);
  return parts.length ? parts.join(', ') : 'every call';
}
