import type { Change } from '../../../../shared/schemas/changes.ts';
import type { ChannelInput, ChannelOutput } from '../../../../shared/ipc/contract.ts';
import { nullLogger } from '../../base/logger.ts';
import { renderDiff } from '../../pinning/diff.ts';
import { createOfflineServices } from '../../services/create-core.ts';
import { DataFolderLock } from '../../store/data-lock.ts';
import { callRunning } from '../admin-client.ts';
import { parse, printList, UsageError, type CliIO } from '../cli-io.ts';

export const CHANGES_USAGE = [
  'gatehouse changes list [--json] [--all]',
  'gatehouse changes show <id>',
  'gatehouse changes accept <id> | --server S',
  'gatehouse changes reject <id>',
].join('\n       ');

type ChangeChannel = 'changes.list' | 'changes.get' | 'changes.accept' | 'changes.reject';

/**
 * Calls the change channels of the Gatehouse serving the folder (its pins are live there), or, when
 * none runs, of an offline core over the same pin store.
 */
async function call<C extends ChangeChannel>(
  dataDir: string,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  if (new DataFolderLock(dataDir).readLiveHolder()) return callRunning(dataDir, channel, input);
  const offline = createOfflineServices({ dataDir, logger: nullLogger, pins: true });
  try {
    const handler = offline.services[channel] as (input: ChannelInput<C>) => Promise<ChannelOutput<C>>;
    return await handler.call(offline.services, input);
  } finally {
    offline.dispose();
  }
}

/** `gatehouse changes ...`: review tool definitions that changed (rug pulls) and new tools. */
export async function changesCommand(args: string[], dataDir: string, io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list': {
      const { values } = parse(rest, { json: { type: 'boolean' }, all: { type: 'boolean' } }, CHANGES_USAGE, {
        min: 0,
        max: 0,
      });
      const changes = await call(dataDir, 'changes.list', values.all ? {} : { status: 'pending' });
      return printList(io, changes, {
        json: values.json,
        empty: values.all ? 'No changes recorded yet.' : 'No changes waiting for review.',
        header: ['ID', 'SERVER', 'KIND', 'NAME', 'CHANGE', 'SEVERITY', 'STATUS', 'DETECTED'],
        row: (c) => [
          c.id,
          c.server,
          c.kind,
          c.name || '(instructions)',
          c.change,
          c.severity,
          c.status,
          c.detectedAt,
        ],
      });
    }
    case 'show': {
      const { positionals } = parse(rest, {}, CHANGES_USAGE, { min: 1, max: 1 });
      show(io, await call(dataDir, 'changes.get', { id: positionals[0]! }));
      return 0;
    }
    case 'accept': {
      const { values, positionals } = parse(rest, { server: { type: 'string' } }, CHANGES_USAGE, {
        min: 0,
        max: 1,
      });
      if ((positionals.length === 1) === (values.server !== undefined)) {
        throw new UsageError('give a change id or --server, not both', CHANGES_USAGE);
      }
      const input = values.server !== undefined ? { server: values.server } : { id: positionals[0]! };
      const { accepted } = await call(dataDir, 'changes.accept', input);
      io.out(
        `Accepted ${accepted} change(s): the new definitions are pinned and the tools are visible again.`,
      );
      return 0;
    }
    case 'reject': {
      const { positionals } = parse(rest, {}, CHANGES_USAGE, { min: 1, max: 1 });
      await call(dataDir, 'changes.reject', { id: positionals[0]! });
      io.out(
        `Rejected ${positionals[0]}: the tool stays held until the server goes back to the pinned definition.`,
      );
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown command "changes ${sub}"` : 'missing command', CHANGES_USAGE);
  }
}

function show(io: CliIO, change: Change): void {
  io.out(
    `${change.id}  ${change.change} ${change.kind} "${change.name || 'instructions'}" on ${change.server}`,
  );
  io.out(
    `status ${change.status}, severity ${change.severity}, seen ${change.detectedAt} (${change.source})`,
  );
  if (change.findings.length > 0) {
    io.out('');
    io.out('Findings:');
    for (const f of change.findings) {
      io.out(
        `  [${f.severity}] ${f.code}: ${f.message}${f.path ? ` (${f.path})` : ''}${f.excerpt ? ` — ${f.excerpt}` : ''}`,
      );
    }
  }
  if (change.diff.length > 0) {
    io.out('');
    io.out('Diff:');
    for (const line of renderDiff(change.diff).split('\n')) io.out(`  ${line}`);
  } else if (change.after !== undefined) {
    io.out('');
    io.out('Definition:');
    for (const line of JSON.stringify(change.after, null, 2).split('\n')) io.out(`  ${line}`);
  }
}
