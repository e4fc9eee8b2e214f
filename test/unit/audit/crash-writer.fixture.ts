// Run by audit-log-recovery.test.ts as a child process that is then killed with SIGKILL:
//   node crash-writer.fixture.ts <file> fixed <n>   writes n intents (outcomes for the even ones), prints "ready", waits
//   node crash-writer.fixture.ts <file> stream      prints "ready", then writes calls until killed, printing
//                                                   "ack <seq>" for each committed intent
import { AuditLog } from '../../../electron/main/audit/audit-log.ts';

const [file, mode = 'fixed', count = '10'] = process.argv.slice(2);
if (!file) throw new Error('usage: crash-writer.fixture.ts <file> fixed|stream [n]');
const log = AuditLog.open({ file });
const intent = (i: number) => ({
  client: 'crasher',
  session: 's',
  server: 'srv',
  tool: `tool_${i}`,
  requestId: i,
  args: { i, note: 'x'.repeat(200) },
  decision: 'allow' as const,
  risk: 'write' as const,
});

if (mode === 'fixed') {
  const seqs = await Promise.all(Array.from({ length: Number(count) }, (_, i) => log.writeIntent(intent(i))));
  await Promise.all(
    seqs.filter((_, i) => i % 2 === 0).map((seq) => log.writeOutcome(seq, { outcome: 'ok', durationMs: 1 })),
  );
  process.stdout.write(`ready ${seqs.join(',')}\n`);
  setInterval(() => undefined, 60_000);
} else {
  process.stdout.write('ready\n');
  let i = 0;
  const worker = async () => {
    for (;;) {
      const seq = await log.writeIntent(intent(i++));
      // stdout to a pipe is synchronous on Linux: an acknowledged seq is in the pipe before any kill.
      process.stdout.write(`ack ${seq}\n`);
      await log.writeOutcome(seq, { outcome: 'ok', durationMs: 1 });
    }
  };
  for (let w = 0; w < 16; w++) void worker();
}
