// Child-process script: the benchmark's "Gatehouse, governance off" path. The same core as
// `gatehouse serve` (createCore: settings, secrets, sessions, auth, upstream pool) built with
// `governance: false`, so a tools/call gets no policy decision and no audit write: comparing it with
// `gatehouse serve` in the same run isolates what policy + audit cost per call. There is deliberately
// no command or setting for this; only the benchmark builds it.
//   usage: node test/bench/ungoverned-serve.ts <data-dir>
// Prints `Gatehouse gateway listening on http://127.0.0.1:PORT` once ready; stops cleanly on SIGTERM/SIGINT.
import { createLogger } from '../../electron/main/base/logger.ts';
import { createCore } from '../../electron/main/services/create-core.ts';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: node test/bench/ungoverned-serve.ts <data-dir>\n');
  process.exit(2);
}

const logger = createLogger({ level: process.env.GATEHOUSE_LOG_LEVEL === 'debug' ? 'debug' : 'info' });
const core = createCore({ dataDir, logger, port: 0, governance: false });
let started;
try {
  started = await core.start();
} catch (error) {
  process.stderr.write(`ungoverned-serve: ${(error as Error).message}\n`);
  await core.stop();
  process.exit(1);
}
process.stdout.write(`Gatehouse gateway listening on ${started.url}\n`);

const signal = await new Promise<NodeJS.Signals>((resolve) => {
  const stop = (received: NodeJS.Signals): void => {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    resolve(received);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
});
process.stdout.write(`Received ${signal}; closing sessions…\n`);
await core.stop();
process.stdout.write('Gatehouse stopped.\n');
