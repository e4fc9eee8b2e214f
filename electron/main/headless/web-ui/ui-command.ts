import { DataFolderLock } from '../../store/data-lock.ts';
import { ServiceError } from '../../services/service-error.ts';
import { readAdminToken } from '../admin-token.ts';
import { parse, type CliIO } from '../cli-io.ts';

export const UI_USAGE = 'gatehouse ui';

/**
 * `gatehouse ui`: asks the running `gatehouse serve` of this data folder for a new one-time sign-in
 * link to its web UI (the one printed at start works once). Earlier unused links stop working.
 */
export async function uiCommand(args: string[], dataDir: string, io: CliIO): Promise<number> {
  parse(args, {}, UI_USAGE, { min: 0, max: 0 });
  const holder = new DataFolderLock(dataDir).readHolder();
  const token = readAdminToken(dataDir);
  if (!holder?.url || !token) {
    throw new ServiceError(`Gatehouse is not running on ${dataDir} (start it with \`gatehouse serve\`)`);
  }
  let res: Response;
  try {
    res = await fetch(`${holder.url}/api/ui.loginLink`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
  } catch {
    throw new ServiceError(`Gatehouse is not answering at ${holder.url} (is it still running?)`);
  }
  const body = (await res.json().catch(() => ({}))) as {
    ok?: boolean;
    result?: { url: string };
    error?: string;
  };
  if (!body.ok || !body.result) {
    throw new ServiceError(
      res.status === 404
        ? 'the running Gatehouse has no web UI (the desktop app shows its own windows)'
        : (body.error ?? `HTTP ${res.status}`),
    );
  }
  io.out('Open this link in a browser on this machine (it works once):');
  io.out(`  ${body.result.url}`);
  return 0;
}
