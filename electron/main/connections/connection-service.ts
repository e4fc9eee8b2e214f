import fs from 'node:fs';
import path from 'node:path';
import type { ServicesHandlers } from '../../../shared/ipc/contract.ts';
import type {
  AdoptResult,
  ClientKind,
  ConnectPreview,
  ConnectResult,
  DetectedClient,
  DisconnectResult,
} from '../../../shared/schemas/connections.ts';
import type { Settings } from '../../../shared/schemas/settings.ts';
import { canonicalJson } from '../base/canonical-json.ts';
import { currentHost, defaultDataDir, type HostEnv } from '../base/paths.ts';
import type { GatewayServices } from '../services/gateway-services.ts';
import { ServiceError } from '../services/service-error.ts';
import { clientTokenKey } from '../store/client-tokens.ts';
import { withFileLock } from '../store/fs-utils.ts';
import type { SecretStore } from '../store/secret-store.ts';
import { bridgeEntry, currentLauncher, type Launcher } from './bridge-launch.ts';
import { clientSpecs, type ClientSpec, type GatewayEntry } from './client-specs.ts';
import {
  backupConfigFile,
  readConfigFile,
  restoreConfigFile,
  writeConfigFile,
  type ConfigFile,
} from './config-file.ts';
import { ConfigParseError, type ConfigFormat, type EntryChanges } from './config-format.ts';
import {
  ConnectionManifest,
  sha256,
  type ConnectionRecord,
  type RestorePoint,
} from './connection-manifest.ts';
import { detectClient } from './detect.ts';
import { entryName, gatehouseTarget, serverNameFor } from './gatehouse-entries.ts';
import { formatOf } from './formats.ts';
import { unifiedDiff } from './line-diff.ts';

type ChannelIn<C extends keyof ServicesHandlers> = Parameters<ServicesHandlers[C]>[0];

export interface ConnectionDeps {
  services: GatewayServices;
  settings: () => Settings;
  secrets: SecretStore;
  dataDir: string;
  /** The gateway's port: the bound one while it runs, else the configured one. */
  port: () => number;
  host?: HostEnv;
  /** How a stdio client starts `gatehouse` (default: this process's runtime and entry). */
  launcher?: Launcher;
  now?: () => Date;
}

/** A client config as read: its spec, format, file and servers map. */
export interface LoadedConfig {
  spec: ClientSpec;
  format: ConfigFormat;
  file: ConfigFile;
  servers: Record<string, unknown>;
}

type TokenPlan = { mode: 'existing'; token: string } | { mode: 'new' } | { mode: 'reissue' };

/** Shown in previews where a token that does not exist yet will go. */
const NEW_TOKEN = '<new token>';

/** Equal as JSON (TOML tables come without a prototype, so strict deep equality does not fit). */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b));
}

/** Client tokens in diffs: enough to tell them apart, never the whole secret. */
function maskTokens(text: string): string {
  return text.replace(/ghc_[A-Za-z0-9_-]{16,}/g, (token) => `${token.slice(0, 10)}…`);
}

/** Reads a client's config; a file that cannot be parsed is a ServiceError and is never written. */
export function loadConfig(spec: ClientSpec, configPath: string): LoadedConfig {
  const format = formatOf(spec);
  const file = readConfigFile(configPath);
  try {
    return { spec, format, file, servers: file.exists ? format.read(file.text ?? '') : {} };
  } catch (error) {
    if (error instanceof ConfigParseError) {
      throw new ServiceError(`${configPath} is ${error.message}; Gatehouse left it untouched`);
    }
    throw error;
  }
}

/**
 * The client config writers (issue 7): detect clients, preview, connect, disconnect and adopt. Every
 * write is atomic with a timestamped backup next to the file, touches only Gatehouse's entries (and,
 * on adopt, the entries being adopted), and is recorded in the data folder so disconnect can restore
 * the file byte for byte.
 */
export class ConnectionService {
  readonly #d: ConnectionDeps;
  readonly #host: HostEnv;
  readonly #manifest: ConnectionManifest;

  constructor(deps: ConnectionDeps) {
    this.#d = deps;
    this.#host = deps.host ?? currentHost();
    this.#manifest = new ConnectionManifest(deps.dataDir);
  }

  configPath(kind: ClientKind): string {
    return clientSpecs[kind].configPath(this.#host);
  }

  async 'clients.detect'(): Promise<DetectedClient[]> {
    const settings = this.#d.settings();
    return Object.values(clientSpecs).map((spec) => detectClient(spec, this.#host, settings));
  }

  async 'clients.preview'(input: ChannelIn<'clients.preview'>): Promise<ConnectPreview> {
    const loaded = loadConfig(clientSpecs[input.kind], this.configPath(input.kind));
    const plan = this.#tokenPlan(input.kind);
    const token = plan.mode === 'existing' ? plan.token : NEW_TOKEN;
    const after = this.#edit(loaded, this.#connectChanges(loaded, input.servers, token));
    return this.#preview(loaded, after, plan);
  }

  async 'clients.connect'(input: ChannelIn<'clients.connect'>): Promise<ConnectResult> {
    const spec = clientSpecs[input.kind];
    // Check the file and the servers before a token is issued.
    const first = loadConfig(spec, this.configPath(input.kind));
    this.#connectChanges(first, input.servers, NEW_TOKEN);
    const { token, plan } = await this.#ensureToken(input.kind);
    return withFileLock(this.#manifest.file, () => {
      const loaded = loadConfig(spec, this.configPath(input.kind));
      return this.#write(loaded, this.#connectChanges(loaded, input.servers, token), plan, []);
    });
  }

  async 'clients.disconnect'(input: ChannelIn<'clients.disconnect'>): Promise<DisconnectResult> {
    return withFileLock(this.#manifest.file, () => this.#disconnect(input));
  }

  #disconnect(input: ChannelIn<'clients.disconnect'>): DisconnectResult {
    const spec = clientSpecs[input.kind];
    const record = this.#manifest.get(input.kind);
    const configPath = record?.configPath ?? this.configPath(input.kind);
    const result = (restored: DisconnectResult['restored']): DisconnectResult => {
      this.#manifest.set(input.kind, undefined);
      if (restored !== 'nothing') this.#d.services.fire({ type: 'connections-changed' });
      return { kind: input.kind, configPath, restored };
    };
    const file = readConfigFile(configPath);
    if (!file.exists) return result('nothing');
    if (record && sha256(file.bytes!) === record.writtenSha256) {
      if (record.restore.type === 'delete') {
        fs.rmSync(file.target);
        return result('backup');
      }
      if (record.restore.type === 'backup' && fs.existsSync(record.restore.path)) {
        restoreConfigFile(record.restore.path, file);
        return result('backup');
      }
    }
    const loaded = loadConfig(spec, configPath);
    const ours = Object.keys(loaded.servers).filter(
      (name) => gatehouseTarget(spec, name, loaded.servers[name]) !== undefined,
    );
    if (ours.length === 0) return result('nothing');
    const after = this.#edit(loaded, { set: this.#adoptedEntries(loaded, record), remove: ours }) ?? '';
    backupConfigFile(file, this.#now());
    writeConfigFile(file, after);
    return result('entries-removed');
  }

  async 'clients.adopt'(input: ChannelIn<'clients.adopt'>): Promise<AdoptResult> {
    const spec = clientSpecs[input.kind];
    const first = loadConfig(spec, this.configPath(input.kind));
    const settings = this.#d.settings();
    const taken = new Set(settings.servers.map((s) => s.name));
    const adds = input.entries.map((entry) => {
      const value = first.servers[entry];
      if (value === undefined) throw new ServiceError(`${spec.label} has no entry named "${entry}"`);
      const info = spec.readEntry(value);
      if (gatehouseTarget(spec, entry, value) !== undefined || !info.url || !/^https?:\/\//i.test(info.url)) {
        throw new ServiceError(`"${entry}" is not a remote MCP server configured directly in ${spec.label}`);
      }
      if (info.unresolved.length > 0) {
        throw new ServiceError(
          `"${entry}" takes ${info.unresolved.join(', ')} from the environment; add it by hand with \`gatehouse server add\``,
        );
      }
      const existing = settings.servers.find((s) => s.url === info.url);
      const name = existing?.name ?? serverNameFor(entry, taken);
      taken.add(name);
      return { entry, name, url: info.url, headers: info.headers, exists: existing !== undefined };
    });
    const added: string[] = [];
    try {
      for (const add of adds.filter((a) => !a.exists)) {
        await this.#d.services['servers.add']({ name: add.name, url: add.url, headers: add.headers });
        added.push(add.name);
      }
      const { token, plan } = await this.#ensureToken(input.kind);
      const client = this.#d.settings().clients.find((c) => c.name === input.kind);
      if (client?.servers) {
        const servers = [...new Set([...client.servers, ...adds.map((a) => a.name)])];
        await this.#d.services['clients.update']({ name: input.kind, servers });
      }
      const connect = withFileLock(this.#manifest.file, () => {
        const loaded = loadConfig(spec, this.configPath(input.kind));
        const set = this.#targets(loaded).has(null)
          ? []
          : adds.map((a) => this.#entry(spec, input.kind, token, a.name));
        const changes = { set, remove: adds.map((a) => a.entry) };
        return this.#write(
          loaded,
          changes,
          plan,
          adds.map((a) => ({ entry: a.entry, server: a.name })),
        );
      });
      return { added, connect };
    } catch (error) {
      for (const name of added) await this.#d.services['servers.remove']({ name }).catch(() => {});
      throw error;
    }
  }

  /** The entries adopt replaced, read back from the backups taken then (those still missing from the file). */
  #adoptedEntries(loaded: LoadedConfig, record: ConnectionRecord | undefined): EntryChanges['set'] {
    const entries: EntryChanges['set'] = [];
    for (const { entry, backup } of record?.adopted ?? []) {
      if (!backup || entry in loaded.servers) continue;
      try {
        const value = loaded.format.read(fs.readFileSync(backup, 'utf8'))[entry];
        if (value && typeof value === 'object') entries.push([entry, value as Record<string, unknown>]);
      } catch {
        // The backup is gone or unreadable: the server stays in Gatehouse, reachable through it.
      }
    }
    return entries;
  }

  /** Gatehouse's entries in a loaded config: null = the aggregated entry, else server names. */
  #targets(loaded: LoadedConfig): Map<string | null, string> {
    const targets = new Map<string | null, string>();
    for (const [name, value] of Object.entries(loaded.servers)) {
      const target = gatehouseTarget(loaded.spec, name, value);
      if (target !== undefined) targets.set(target, name);
    }
    return targets;
  }

  #connectChanges(loaded: LoadedConfig, servers: string[] | undefined, token: string): EntryChanges {
    const kind = loaded.spec.kind;
    const settings = this.#d.settings();
    const known = new Set(settings.servers.map((s) => s.name));
    const unknown = (servers ?? []).filter((s) => !known.has(s));
    if (unknown.length > 0) throw new ServiceError(`no server named "${unknown.join('", "')}"`);
    const allowed = settings.clients.find((c) => c.name === kind && !c.revokedAt)?.servers;
    const forbidden = allowed ? (servers ?? []).filter((s) => !allowed.includes(s)) : [];
    if (forbidden.length > 0) {
      throw new ServiceError(
        `client "${kind}" may not reach "${forbidden.join('", "')}"; allow it on the Clients page first`,
      );
    }
    const wanted = servers && servers.length > 0 ? [...new Set(servers)] : [undefined];
    const set = wanted.map((server) => this.#entry(loaded.spec, kind, token, server));
    const keep = new Set(set.map(([name]) => name));
    const remove = [...this.#targets(loaded).values()].filter((name) => !keep.has(name));
    return { set, remove };
  }

  /** One gateway entry in the client's shape. */
  #entry(
    spec: ClientSpec,
    client: string,
    token: string,
    server?: string,
  ): [string, Record<string, unknown>] {
    let entry: GatewayEntry;
    if (spec.transport === 'stdio') {
      const launcher = this.#d.launcher ?? currentLauncher();
      if (!launcher) {
        throw new ServiceError(
          'the `gatehouse` command is not installed where this app can find it, so Claude Desktop cannot start the bridge',
        );
      }
      const dataDir = path.resolve(this.#d.dataDir);
      const isDefault = dataDir === defaultDataDir(this.#host);
      entry = {
        transport: 'stdio',
        ...bridgeEntry(launcher, {
          client,
          ...(server ? { server } : {}),
          ...(isDefault ? {} : { dataDir }),
        }),
      };
    } else {
      const port = this.#d.port();
      if (!port) {
        throw new ServiceError(
          'the gateway has no fixed port; set one with `gatehouse config set gateway.port <n>`',
        );
      }
      const url = `http://127.0.0.1:${port}/mcp${server ? `/${server}` : ''}`;
      entry = { transport: 'http', url, headers: { Authorization: `Bearer ${token}` } };
    }
    return [entryName(server), spec.toConfig(entry)];
  }

  /** Applies the changes and checks that nothing but the named entries changed. */
  #edit(loaded: LoadedConfig, changes: EntryChanges): string | undefined {
    const text = loaded.file.exists ? loaded.file.text : undefined;
    const touched = new Set([...changes.remove, ...changes.set.map(([n]) => n)]);
    const nothingToDo =
      changes.set.every(([n, v]) => sameValue(loaded.servers[n], v)) &&
      changes.remove.every((n) => !(n in loaded.servers));
    if (nothingToDo) return text;
    const after = loaded.format.edit(text, changes);
    const servers = loaded.format.read(after);
    const intact =
      Object.keys(loaded.servers).every((n) => touched.has(n) || sameValue(servers[n], loaded.servers[n])) &&
      Object.keys(servers).every((n) => touched.has(n) || n in loaded.servers) &&
      changes.set.every(([n, v]) => sameValue(servers[n], v)) &&
      changes.remove.every((n) => changes.set.some(([s]) => s === n) || !(n in servers));
    if (!intact) throw new ServiceError(`could not edit ${loaded.file.path} safely; it was left untouched`);
    return after;
  }

  #preview(loaded: LoadedConfig, after: string | undefined, plan: TokenPlan): ConnectPreview {
    const kind = loaded.spec.kind;
    const before = loaded.file.exists ? loaded.file.text : undefined;
    const note =
      plan.mode === 'new'
        ? `# A Gatehouse client "${kind}" will be created, with its own token.\n`
        : plan.mode === 'reissue'
          ? `# Gatehouse client "${kind}" has no stored token: a new token will be issued and the old one revoked.\n`
          : '';
    const diff = before === after ? '' : maskTokens(unifiedDiff(loaded.file.path, before, after));
    return { kind, configPath: loaded.file.path, clientName: kind, diff: diff || note ? note + diff : '' };
  }

  #write(
    loaded: LoadedConfig,
    changes: EntryChanges,
    plan: TokenPlan,
    adopted: ConnectionRecord['adopted'],
  ): ConnectResult {
    const kind = loaded.spec.kind;
    const after = this.#edit(loaded, changes);
    const preview = this.#preview(loaded, after, plan);
    const result: ConnectResult = { ...preview, createdClient: plan.mode === 'new' };
    const before = loaded.file.exists ? loaded.file.text : undefined;
    if (after !== undefined && after !== before) {
      const previous = this.#manifest.get(kind);
      const backup = loaded.file.exists ? backupConfigFile(loaded.file, this.#now()) : undefined;
      const currentHash = loaded.file.bytes ? sha256(loaded.file.bytes) : undefined;
      const unchanged = previous?.configPath === loaded.file.path && previous.writtenSha256 === currentHash;
      const restore: RestorePoint = unchanged
        ? previous.restore
        : this.#targets(loaded).size > 0
          ? { type: 'none' }
          : backup
            ? { type: 'backup', path: backup }
            : { type: 'delete' };
      writeConfigFile(loaded.file, after);
      this.#manifest.set(kind, {
        configPath: loaded.file.path,
        restore,
        writtenSha256: sha256(fs.readFileSync(loaded.file.target)),
        entries: changes.set.map(([name]) => name),
        adopted: [...(unchanged ? previous.adopted : []), ...adopted.map((a) => ({ ...a, backup }))],
        updatedAt: this.#now().toISOString(),
      });
      if (backup) result.backupPath = backup;
    }
    this.#d.services.fire({ type: 'connections-changed' });
    return result;
  }

  #tokenPlan(kind: ClientKind): TokenPlan {
    const record = this.#d.settings().clients.find((c) => c.name === kind);
    if (!record || record.revokedAt) return { mode: 'new' };
    const token = this.#d.secrets.get(clientTokenKey(kind));
    return token ? { mode: 'existing', token } : { mode: 'reissue' };
  }

  /** The client's token, creating the client record (or issuing a fresh token) when needed. */
  async #ensureToken(kind: ClientKind): Promise<{ token: string; plan: TokenPlan }> {
    const plan = this.#tokenPlan(kind);
    if (plan.mode === 'existing') return { token: plan.token, plan };
    if (plan.mode === 'reissue') await this.#d.services['clients.revoke']({ name: kind });
    const { token } = await this.#d.services['clients.add']({ name: kind });
    return { token, plan };
  }

  #now(): Date {
    return this.#d.now?.() ?? new Date();
  }
}
