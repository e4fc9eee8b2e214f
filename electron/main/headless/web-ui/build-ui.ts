import { buildRenderer, ensureRendererBuilt } from './renderer-build.ts';

/**
 * `npm run build:ui`: builds the renderer that `gatehouse serve` shows at /app. With `--if-stale`
 * (used by `npm run serve` and the end-to-end tests) it only builds when the sources changed. With
 * `--soft` (used by `npm run serve`) a failed build is reported but does not stop the gateway from
 * starting: it then serves the previous build, or a page saying the UI is not built.
 */
async function main(): Promise<number> {
  const soft = process.argv.includes('--soft');
  try {
    if (process.argv.includes('--if-stale')) {
      await ensureRendererBuilt({ log: (line) => console.error(line) });
    } else {
      await buildRenderer();
    }
    return 0;
  } catch (error) {
    console.error(`gatehouse: building the web UI failed: ${(error as Error).stack ?? String(error)}`);
    if (soft)
      console.error('gatehouse: starting without a fresh web UI (the gateway itself is not affected)');
    return soft ? 0 : 1;
  }
}

process.exitCode = await main();
