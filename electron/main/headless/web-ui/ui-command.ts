import { ServiceError } from '../../services/service-error.ts';
import { postToRunning } from '../admin-client.ts';
import { parse, type CliIO } from '../cli-io.ts';

export const UI_USAGE = 'gatehouse ui';

/**
 * `gatehouse ui`: asks the running `gatehouse serve` of this data folder for a new one-time sign-in
 * link to its web UI (the one printed at start works once). Earlier unused links stop working.
 */
export async function uiCommand(args: string[], dataDir: string, io: CliIO): Promise<number> {
  parse(args, {}, UI_USAGE, { min: 0, max: 0 });
  const { res, body } = await postToRunning(dataDir, '/api/ui.loginLink', {});
  const result = body.result as { url: string } | undefined;
  if (!body.ok || !result) {
    throw new ServiceError(
      res.status === 404
        ? 'the running Gatehouse has no web UI (the desktop app shows its own windows)'
        : (body.error ?? `HTTP ${res.status}`),
    );
  }
  io.out('Open this link in a browser on this machine (it works once):');
  io.out(`  ${result.url}`);
  return 0;
}
