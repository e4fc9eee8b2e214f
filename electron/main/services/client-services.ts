import type { ChannelInput } from '../../../shared/ipc/contract.ts';
import type { ClientView, NewClientResult } from '../../../shared/schemas/clients.ts';
import type { Settings } from '../../../shared/schemas/settings.ts';
import { clientTokenKey, hashToken, newClientToken } from '../store/client-tokens.ts';
import type { SecretStore } from '../store/secret-store.ts';
import { ServiceError } from './service-error.ts';

/** What the client-record channels need from the core. */
export interface ClientServiceDeps {
  settings: () => Settings;
  update: (mutate: (draft: Settings) => void) => void;
  secrets: SecretStore;
  /** Live sessions per client name (0 without a gateway). */
  liveSessions: (client: string) => number;
}

export function listClients(deps: ClientServiceDeps): ClientView[] {
  return deps.settings().clients.map(({ tokenHash: _hash, ...client }) => ({
    ...client,
    active: !client.revokedAt,
    liveSessions: deps.liveSessions(client.name),
  }));
}

/**
 * A new client and its token. Settings keep only the token's hash; the token itself goes to the secret
 * store (for `gatehouse bridge` and the config writers) and is shown to the person once.
 */
export function addClient(deps: ClientServiceDeps, name: string): NewClientResult {
  const token = newClientToken();
  deps.update((draft) => {
    const existing = draft.clients.find((c) => c.name === name);
    if (existing && !existing.revokedAt) {
      throw new ServiceError(`a client named "${name}" already exists; revoke it first to issue a new token`);
    }
    draft.clients = draft.clients.filter((c) => c.name !== name);
    draft.clients.push({ name, tokenHash: hashToken(token), createdAt: new Date().toISOString() });
    deps.secrets.set(clientTokenKey(name), token);
  });
  return { name, token };
}

export function revokeClient(deps: ClientServiceDeps, name: string): void {
  activeClient(deps, name);
  deps.update((draft) => {
    draft.clients.find((c) => c.name === name)!.revokedAt = new Date().toISOString();
  });
  deps.secrets.delete(clientTokenKey(name));
}

/** Which servers a client may reach and which tools it sees; null puts back "all". */
export function updateClient(deps: ClientServiceDeps, input: ChannelInput<'clients.update'>): ClientView {
  activeClient(deps, input.name);
  const known = new Set(deps.settings().servers.map((s) => s.name));
  const unknown = (input.servers ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new ServiceError(`no server named "${unknown.join('", "')}"`);
  deps.update((draft) => {
    const record = draft.clients.find((c) => c.name === input.name)!;
    if (input.servers === null) delete record.servers;
    else if (input.servers) record.servers = input.servers;
    if (input.toolFilter === null) delete record.toolFilter;
    else if (input.toolFilter) record.toolFilter = input.toolFilter;
  });
  return listClients(deps).find((c) => c.name === input.name)!;
}

function activeClient(deps: ClientServiceDeps, name: string): void {
  const client = deps.settings().clients.find((c) => c.name === name);
  if (!client || client.revokedAt) throw new ServiceError(`no active client named "${name}"`);
}
