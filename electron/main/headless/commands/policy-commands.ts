import type { ArgMatch, Rule } from '../../../../shared/schemas/policy.ts';
import type { GatewayServices } from '../../services/gateway-services.ts';
import { jsonOrText, parse, printList, UsageError, type CliIO } from '../cli-io.ts';
import { parseDurationMinutes } from '../duration.ts';

export const POLICY_USAGE = [
  'gatehouse policy list [--json]',
  'gatehouse policy add --action allow|deny|ask|hide [--server GLOB] [--tool GLOB] [--client NAME]',
  '                     [--arg POINTER=GLOB | POINTER==JSON | POINTER~=REGEX | POINTER=@[JSON,...]]...',
  '                     [--expires DURATION] [--note TEXT]',
  'gatehouse policy remove <id>',
  'gatehouse pause [--for DURATION] [--mode ask|deny]',
  'gatehouse resume',
].join('\n       ');

const ACTIONS = ['allow', 'deny', 'ask', 'hide'] as const;

/** `--arg` syntax: `=` glob, `==` equals (JSON, else text), `~=` regex, `=@[...]` one of a JSON array. */
export function parseArgMatcher(text: string): ArgMatch {
  const match = /^(\/[^=~]*|)(==|~=|=)(.*)$/s.exec(text);
  if (!match) throw new UsageError(`--arg "${text}" must look like /pointer=pattern`, POLICY_USAGE);
  const [, pointer, op, value] = match as unknown as [string, string, string, string];
  if (op === '==') return { pointer, op: 'equals', value: jsonOrText(value) };
  if (op === '~=') return { pointer, op: 'regex', value };
  if (value.startsWith('@')) {
    const list = jsonOrText(value.slice(1));
    if (!Array.isArray(list) || list.length === 0)
      throw new UsageError(`--arg "${text}": @ needs a JSON array`, POLICY_USAGE);
    return { pointer, op: 'one-of', value: list };
  }
  return { pointer, op: 'glob', value };
}

function describe(rule: Rule): string {
  const args = rule.args.map((a) => `${a.pointer} ${a.op} ${JSON.stringify(a.value)}`).join(', ');
  return (
    [
      rule.server && `server ${rule.server}`,
      rule.tool && `tool ${rule.tool}`,
      rule.client && `client ${rule.client}`,
      args,
    ]
      .filter(Boolean)
      .join('; ') || 'every call'
  );
}

/** `gatehouse policy ...`: rules that decide tool calls. */
export async function policyCommand(args: string[], services: GatewayServices, io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list': {
      const { values } = parse(rest, { json: { type: 'boolean' } }, POLICY_USAGE, { min: 0, max: 0 });
      const rules = await services['policy.list']();
      return printList(io, rules, {
        json: values.json,
        empty:
          'No rules: calls follow the defaults by risk (see `gatehouse config list`, policy.defaults.*).',
        header: ['ID', 'ACTION', 'MATCHES', 'EXPIRES', 'NOTE'],
        row: (r) => [r.id, r.action, describe(r), r.expiresAt ?? '-', r.note ?? ''],
      });
    }
    case 'add': {
      const { values } = parse(
        rest,
        {
          action: { type: 'string' },
          server: { type: 'string' },
          tool: { type: 'string' },
          client: { type: 'string' },
          arg: { type: 'string', multiple: true },
          expires: { type: 'string' },
          note: { type: 'string' },
        },
        POLICY_USAGE,
        { min: 0, max: 0 },
      );
      const action = values.action as (typeof ACTIONS)[number] | undefined;
      if (!action || !ACTIONS.includes(action))
        throw new UsageError('--action must be allow, deny, ask or hide', POLICY_USAGE);
      let expiresAt: string | undefined;
      if (values.expires !== undefined) {
        const minutes = parseDurationMinutes(values.expires);
        if (!minutes)
          throw new UsageError(
            `--expires "${values.expires}" is not a duration like 30m, 2h or 7d`,
            POLICY_USAGE,
          );
        expiresAt = new Date(Date.now() + minutes * 60_000).toISOString();
      }
      const rule = await services['policy.add']({
        action,
        ...(values.server ? { server: values.server } : {}),
        ...(values.tool ? { tool: values.tool } : {}),
        ...(values.client ? { client: values.client } : {}),
        args: (values.arg ?? []).map(parseArgMatcher),
        ...(expiresAt ? { expiresAt } : {}),
        ...(values.note ? { note: values.note } : {}),
      });
      io.out(rule.id);
      return 0;
    }
    case 'remove': {
      const { positionals } = parse(rest, {}, POLICY_USAGE, { min: 1, max: 1 });
      await services['policy.remove']({ id: positionals[0]! });
      io.out(`Removed rule ${positionals[0]}.`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown command "policy ${sub}"` : 'missing command', POLICY_USAGE);
  }
}

/** `gatehouse pause` / `gatehouse resume`: the "pause writes" switch. */
export async function pauseCommand(
  command: 'pause' | 'resume',
  args: string[],
  services: GatewayServices,
  io: CliIO,
): Promise<number> {
  if (command === 'resume') {
    parse(args, {}, POLICY_USAGE, { min: 0, max: 0 });
    await services['policy.resume']();
    io.out('Writes resumed: calls follow the policy again.');
    return 0;
  }
  const { values } = parse(args, { for: { type: 'string' }, mode: { type: 'string' } }, POLICY_USAGE, {
    min: 0,
    max: 0,
  });
  const mode = values.mode ?? 'ask';
  if (mode !== 'ask' && mode !== 'deny') throw new UsageError('--mode must be ask or deny', POLICY_USAGE);
  let forMinutes: number | undefined;
  if (values.for !== undefined) {
    forMinutes = parseDurationMinutes(values.for);
    if (!forMinutes)
      throw new UsageError(`--for "${values.for}" is not a duration like 15m or 1h`, POLICY_USAGE);
  }
  const pause = await services['policy.pause']({ mode, ...(forMinutes ? { forMinutes } : {}) });
  io.out(
    `Writes paused: every call that is not read-only will ${mode === 'ask' ? 'ask you first' : 'be denied'} ${
      pause.until ? `until ${pause.until}` : 'until `gatehouse resume`'
    }.`,
  );
  return 0;
}
