import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract.ts';
import { DataFolderLock } from '../store/data-lock.ts';
import { ServiceError } from '../services/service-error.ts';
import { readAdminToken } from './admin-token.ts';

/**
 * Calls the services of the Gatehouse serving `dataDir` (for what lives only in that process, like
 * pending approvals), with the admin token it wrote there.
 */
export async function callRunning<C extends Channel>(
  dataDir: string,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const { res, body } = await postToRunning(dataDir, `/api/${channel}`, { input });
  if (!body.ok) throw new ServiceError(body.error ?? `HTTP ${res.status}`);
  return body.result as ChannelOutput<C>;
}

/** POSTs JSON to the running Gatehouse of `dataDir` with its admin token; the answer's status and body. */
export async function postToRunning(
  dataDir: string,
  path: string,
  payload: unknown,
): Promise<{ res: Response; body: { ok?: boolean; result?: unknown; error?: string } }> {
  const holder = new DataFolderLock(dataDir).readLiveHolder();
  const token = readAdminToken(dataDir);
  if (!holder?.url || !token) {
    throw new ServiceError(`Gatehouse is not running on ${dataDir} (start it with \`gatehouse serve\`)`);
  }
  let res: Response;
  try {
    res = await fetch(`${holder.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(payload),
    });
  } catch {
    throw new ServiceError(`Gatehouse is not answering at ${holder.url} (is it still running?)`);
  }
  const body = (await res.json().catch(() => ({}))) as { ok?: boolean; result?: unknown; error?: string };
  return { res, body };
}
