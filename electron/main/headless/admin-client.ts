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
  const holder = new DataFolderLock(dataDir).readHolder();
  const token = readAdminToken(dataDir);
  if (!holder?.url || !token) {
    throw new ServiceError(`Gatehouse is not running on ${dataDir} (start it with \`gatehouse serve\`)`);
  }
  let res: Response;
  try {
    res = await fetch(`${holder.url}/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ input }),
    });
  } catch {
    throw new ServiceError(`Gatehouse is not answering at ${holder.url} (is it still running?)`);
  }
  const body = (await res.json().catch(() => ({}))) as { ok?: boolean; result?: unknown; error?: string };
  if (!body.ok) throw new ServiceError(body.error ?? `HTTP ${res.status}`);
  return body.result as ChannelOutput<C>;
}
