import crypto from 'node:crypto';
import type { Change, PinKind } from '../../../shared/schemas/changes.ts';
import type { ServerConfig } from '../../../shared/schemas/servers.ts';
import type { Settings } from '../../../shared/schemas/settings.ts';
import { Emitter, type Event } from '../base/emitter.ts';
import type { Logger } from '../base/logger.ts';
import { diffDefinitions } from './diff.ts';
import { classifyChange, maxSeverity, riskFromFindings } from './findings.ts';
import { fingerprint, itemName, pinnedDefinition, pinnedInstructions } from './fingerprint.ts';
import type { Pin, PinStoreApi } from './pin-store-types.ts';

/** How a tool may be used right now, given its pin. */
export type ToolState = { kind: 'ok' } | { kind: 'held'; change: Change } | { kind: 'ask'; change: Change };

/** Where a list came from (shown on the change). */
export type ChangeSource = Change['source'];

interface ServerState {
  pins: Map<string, Pin>;
  /** The unresolved change (pending, or rejected) of each item whose current version is not the pin. */
  blocked: Map<string, Change>;
  /** Tools whose pinned description carries high-risk findings (poisoning signs): their risk is raised. */
  raised: Set<string>;
  /** Kinds with any pin or recorded change: a list of an unseen kind is a first sight (trust on first use). */
  kindsSeen: Set<PinKind>;
}

const key = (kind: PinKind, name: string) => `${kind}\u0000${name}`;

/**
 * Trust on first use for everything a server tells the model: the first list of a server is pinned as
 * it is; afterwards any definition whose fingerprint differs from its pin becomes a change with a diff
 * and findings, and a changed or new tool is held (hidden and refused) until the person reviews it.
 */
export class PinService {
  readonly #store: PinStoreApi;
  readonly #settings: () => Settings;
  readonly #logger: Logger;
  readonly #servers = new Map<string, ServerState>();
  readonly #onDidChange = new Emitter<{ server: string; change: Change }>();

  /** Fires for each change detected or reviewed (for list_changed, notifications, the tray badge). */
  readonly onDidChange: Event<{ server: string; change: Change }> = this.#onDidChange.event;

  constructor(options: { store: PinStoreApi; settings: () => Settings; logger: Logger }) {
    this.#store = options.store;
    this.#settings = options.settings;
    this.#logger = options.logger;
  }

  /** Compares a list (a whole one when `complete`) with the pins; records and returns what changed. */
  observe(
    server: string,
    kind: Exclude<PinKind, 'instructions'>,
    items: unknown[],
    complete: boolean,
    source: ChangeSource,
  ): Change[] {
    const state = this.#state(server);
    const firstSight = !state.kindsSeen.has(kind);
    const now = new Date().toISOString();
    const found: Change[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const definition = pinnedDefinition(kind, item);
      const name = itemName(kind, definition);
      if (typeof name !== 'string' || seen.has(name)) continue;
      seen.add(name);
      const change = this.#compare(server, state, kind, name, definition, firstSight, now, source);
      if (change) found.push(change);
    }
    if (complete && !firstSight) {
      // Gone from a complete list: pinned items and held (never accepted) ones alike.
      const gone = new Map<string, unknown>();
      for (const pin of state.pins.values())
        if (pin.kind === kind && !seen.has(pin.name)) gone.set(pin.name, pin.definition);
      for (const change of state.blocked.values()) {
        if (change.kind === kind && !seen.has(change.name) && !gone.has(change.name))
          gone.set(change.name, change.after);
      }
      for (const [name, before] of gone) {
        this.#store.supersede(server, kind, name, '');
        this.#store.deletePin(server, kind, name);
        state.pins.delete(key(kind, name));
        state.blocked.delete(key(kind, name));
        found.push(
          this.#record(server, state, {
            kind,
            name,
            change: 'removed',
            before,
            status: 'noted',
            source,
            now,
          }),
        );
      }
    }
    return found;
  }

  /** Compares the server's instructions (from initialize) with their pin. */
  observeInstructions(server: string, text: string | undefined, source: ChangeSource): Change[] {
    const state = this.#state(server);
    const firstSight = !state.pins.has(key('instructions', ''));
    const change = this.#compare(
      server,
      state,
      'instructions',
      '',
      pinnedInstructions(text ?? ''),
      firstSight,
      new Date().toISOString(),
      source,
    );
    return change ? [change] : [];
  }

  /** Held tools are hidden and refused; in "ask" mode a changed tool asks on every call. */
  toolState(server: string, tool: string): ToolState {
    const change = this.#state(server).blocked.get(key('tool', tool));
    if (!change) return { kind: 'ok' };
    if (change.status === 'pending' && change.change === 'changed' && this.#serverMode(server) === 'ask') {
      return { kind: 'ask', change };
    }
    return { kind: 'held', change };
  }

  /** Names of the tools of `server` to hide from lists. */
  hiddenTools(server: string): Set<string> {
    const hidden = new Set<string>();
    for (const [k, change] of this.#state(server).blocked) {
      if (change.kind === 'tool' && this.toolState(server, change.name).kind === 'held')
        hidden.add(k.slice(k.indexOf('\u0000') + 1));
    }
    return hidden;
  }

  /** Whether the tool's pinned description carries signs of poisoning (its risk is raised). */
  riskRaised(server: string, tool: string): boolean {
    return this.#state(server).raised.has(tool);
  }

  list(filter?: { server?: string; status?: Change['status'] }): Change[] {
    return this.#store.changes(filter);
  }

  get(id: string): Change | undefined {
    return this.#store.change(id);
  }

  /** Accepts a change: its definition becomes the pin, and the tool is visible again. */
  accept(id: string): Change {
    const change = this.#resolve(id, 'accepted');
    const state = this.#state(change.server);
    if (change.change !== 'removed')
      this.#pin(change.server, state, change.kind, change.name, change.after, new Date().toISOString());
    return change;
  }

  /** Rejects a change: the item stays held until the server goes back to the pinned version. */
  reject(id: string): Change {
    return this.#resolve(id, 'rejected');
  }

  /** Pending changes of a server, for "accept all". */
  pending(server?: string): Change[] {
    return this.#store.changes({ ...(server ? { server } : {}), status: 'pending' });
  }

  dispose(): void {
    this.#onDidChange.dispose();
  }

  #compare(
    server: string,
    state: ServerState,
    kind: PinKind,
    name: string,
    definition: unknown,
    firstSight: boolean,
    now: string,
    source: ChangeSource,
  ): Change | undefined {
    const fp = fingerprint(definition);
    this.#store.recordVersion(server, kind, name, fp, definition, now);
    const k = key(kind, name);
    const pin = state.pins.get(k);
    if (!pin) {
      if (firstSight) {
        this.#pin(server, state, kind, name, definition, now);
        return this.#record(server, state, {
          kind,
          name,
          change: 'new',
          after: definition,
          status: 'noted',
          source,
          now,
        });
      }
      const hold = kind === 'tool' && this.#settings().pinning.newTools === 'hold';
      if (!hold) this.#pin(server, state, kind, name, definition, now);
      return this.#record(server, state, {
        kind,
        name,
        change: 'new',
        after: definition,
        status: hold ? 'pending' : 'noted',
        source,
        now,
      });
    }
    if (pin.fingerprint === fp) {
      // Back to the pinned version (or never changed): an unresolved change for it is moot.
      const blocked = state.blocked.get(k);
      if (blocked) {
        if (blocked.status === 'pending') this.#store.supersede(server, kind, name, '');
        else this.#store.updateChange(blocked.id, { status: 'noted', decidedAt: now });
        state.blocked.delete(k);
      }
      return undefined;
    }
    const blocked = state.blocked.get(k);
    if (blocked && fingerprint(blocked.after) === fp) return undefined; // already known
    const allow = kind !== 'tool' ? false : this.#serverMode(server) === 'allow-notify';
    if (allow) this.#pin(server, state, kind, name, definition, now);
    return this.#record(server, state, {
      kind,
      name,
      change: 'changed',
      before: pin.definition,
      after: definition,
      status: allow ? 'noted' : 'pending',
      source,
      now,
    });
  }

  #record(
    server: string,
    state: ServerState,
    c: {
      kind: PinKind;
      name: string;
      change: Change['change'];
      before?: unknown;
      after?: unknown;
      status: Change['status'];
      source: ChangeSource;
      now: string;
    },
  ): Change {
    const findings = classifyChange(c.kind, c.before, c.after);
    const candidate: Change = {
      id: `ch_${crypto.randomBytes(9).toString('base64url')}`,
      server,
      kind: c.kind,
      name: c.name,
      change: c.change,
      status: c.status,
      severity: maxSeverity(findings),
      detectedAt: c.now,
      source: c.source,
      ...(c.before !== undefined ? { before: c.before } : {}),
      ...(c.after !== undefined ? { after: c.after } : {}),
      diff: c.before !== undefined && c.after !== undefined ? diffDefinitions(c.before, c.after) : [],
      findings,
    };
    const change = this.#store.addChange(candidate);
    state.kindsSeen.add(c.kind);
    if (change.status === 'pending') {
      this.#store.supersede(server, c.kind, c.name, change.id);
      state.blocked.set(key(c.kind, c.name), change);
    }
    if (change.id === candidate.id) {
      this.#logger.info('definition change detected', {
        server,
        kind: c.kind,
        name: c.name,
        change: c.change,
        severity: change.severity,
      });
      this.#onDidChange.fire({ server, change });
    }
    return change;
  }

  #pin(
    server: string,
    state: ServerState,
    kind: PinKind,
    name: string,
    definition: unknown,
    now: string,
  ): void {
    const existing = state.pins.get(key(kind, name));
    const pin: Pin = {
      server,
      kind,
      name,
      fingerprint: fingerprint(definition),
      definition,
      firstSeen: existing?.firstSeen ?? now,
      pinnedAt: now,
    };
    this.#store.savePin(pin);
    state.kindsSeen.add(kind);
    state.pins.set(key(kind, name), pin);
    state.blocked.delete(key(kind, name));
    if (kind === 'tool') {
      if (riskFromFindings(classifyChange('tool', undefined, definition))) state.raised.add(name);
      else state.raised.delete(name);
    }
  }

  #resolve(id: string, status: 'accepted' | 'rejected'): Change {
    const change = this.#store.change(id);
    if (!change) throw new Error(`no change "${id}"`);
    if (change.status !== 'pending' && !(status === 'accepted' && change.status === 'rejected')) {
      throw new Error(`change "${id}" is ${change.status}, not pending`);
    }
    const updated = this.#store.updateChange(id, { status, decidedAt: new Date().toISOString() }) ?? change;
    const state = this.#state(change.server);
    if (status === 'rejected') state.blocked.set(key(change.kind, change.name), updated);
    else state.blocked.delete(key(change.kind, change.name));
    this.#onDidChange.fire({ server: change.server, change: updated });
    return updated;
  }

  #serverMode(server: string): ServerConfig['onToolChange'] {
    return this.#settings().servers.find((s) => s.name === server)?.onToolChange ?? 'hold';
  }

  #state(server: string): ServerState {
    let state = this.#servers.get(server);
    if (state) return state;
    state = { pins: new Map(), blocked: new Map(), raised: new Set(), kindsSeen: new Set() };
    for (const pin of this.#store.pins(server)) {
      state.kindsSeen.add(pin.kind);
      state.pins.set(key(pin.kind, pin.name), pin);
      if (pin.kind === 'tool' && riskFromFindings(classifyChange('tool', undefined, pin.definition)))
        state.raised.add(pin.name);
    }
    // Only the newest change of each item counts (changes come newest first): unresolved, it blocks.
    const decided = new Set<string>();
    for (const change of this.#store.changes({ server })) {
      state.kindsSeen.add(change.kind);
      const k = key(change.kind, change.name);
      if (decided.has(k)) continue;
      decided.add(k);
      if (change.status === 'pending' || change.status === 'rejected') state.blocked.set(k, change);
    }
    this.#servers.set(server, state);
    return state;
  }
}
