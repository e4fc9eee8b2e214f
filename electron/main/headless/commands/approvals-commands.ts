import type { ApprovalAnswer } from '../../../../shared/schemas/approvals.ts';
import { callRunning } from '../admin-client.ts';
import { parse, printList, UsageError, type CliIO } from '../cli-io.ts';
import { parseDurationMinutes } from '../duration.ts';

export const APPROVALS_USAGE = [
  'gatehouse approvals list [--json]',
  'gatehouse approvals answer <id> allow-once|allow-session|allow-always|deny',
  '                           [--only-these-arguments] [--expires DURATION] [--always]',
].join('\n       ');

/** `gatehouse approvals ...`: answer held calls of the Gatehouse serving this data folder. */
export async function approvalsCommand(args: string[], dataDir: string, io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list': {
      const { values } = parse(rest, { json: { type: 'boolean' } }, APPROVALS_USAGE, { min: 0, max: 0 });
      const pending = await callRunning(dataDir, 'approvals.list', undefined);
      return printList(io, pending, {
        json: values.json,
        empty: 'No calls are waiting for approval.',
        header: ['ID', 'CLIENT', 'SERVER', 'TOOL', 'RISK', 'EXPIRES', 'ARGUMENTS'],
        row: (p) => [
          p.id,
          p.client,
          p.server,
          p.tool,
          p.risk,
          p.expiresAt,
          truncate(JSON.stringify(p.arguments), 60),
        ],
      });
    }
    case 'answer': {
      const { values, positionals } = parse(
        rest,
        {
          'only-these-arguments': { type: 'boolean' },
          expires: { type: 'string' },
          always: { type: 'boolean' },
        },
        APPROVALS_USAGE,
        { min: 2, max: 2 },
      );
      const [id, kind] = positionals as [string, string];
      let answer: ApprovalAnswer;
      switch (kind) {
        case 'allow-once':
        case 'allow-session':
          answer = { kind };
          break;
        case 'allow-always': {
          const minutes = values.expires === undefined ? undefined : parseDurationMinutes(values.expires);
          if (values.expires !== undefined && !minutes)
            throw new UsageError(`--expires "${values.expires}" is not a duration`, APPROVALS_USAGE);
          answer = {
            kind,
            onlyTheseArguments: values['only-these-arguments'] ?? false,
            ...(minutes ? { expiresInMinutes: Math.ceil(minutes) } : {}),
          };
          break;
        }
        case 'deny':
          answer = { kind, always: values.always ?? false };
          break;
        default:
          throw new UsageError(`unknown answer "${kind}"`, APPROVALS_USAGE);
      }
      await callRunning(dataDir, 'approvals.answer', { id, answer });
      io.out(`Answered ${id}: ${kind}.`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown command "approvals ${sub}"` : 'missing command', APPROVALS_USAGE);
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
