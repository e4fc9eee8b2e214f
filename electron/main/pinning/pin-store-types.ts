import type { Change, PinKind } from '../../../shared/schemas/changes.ts';

/** What Gatehouse trusts for one tool, prompt, resource template or instructions text of a server. */
export interface Pin {
  server: string;
  kind: PinKind;
  /** Tool/prompt name, template URI template, or '' for instructions. */
  name: string;
  /** SHA-256 of the canonical JSON of the pinned definition (see fingerprint.ts). */
  fingerprint: string;
  /** The definition as pinned (what the person accepted, or first saw). */
  definition: unknown;
  firstSeen: string;
  /** When the pin was last (re)accepted. */
  pinnedAt: string;
}

/**
 * Persistence of pins, their history and detected changes (SQLite, `pins.sqlite` in the data folder).
 * Survives restarts; every definition version ever seen is kept in the history.
 */
export interface PinStoreApi {
  /** All pins of a server (empty: the server was never seen). */
  pins(server: string): Pin[];
  /** Whether the server has ever been pinned (first sight vs a later change). */
  knows(server: string): boolean;
  /** Creates or replaces a pin (first sight, or an accepted change). */
  savePin(pin: Pin): void;
  deletePin(server: string, kind: PinKind, name: string): void;
  /** Records a definition version seen (deduplicated by fingerprint per server/kind/name). */
  recordVersion(
    server: string,
    kind: PinKind,
    name: string,
    fingerprint: string,
    definition: unknown,
    seenAt: string,
  ): void;
  /** Versions of one item, oldest first. */
  history(
    server: string,
    kind: PinKind,
    name: string,
  ): { fingerprint: string; definition: unknown; firstSeen: string; lastSeen: string }[];
  /** Adds a change; if a pending change for the same item with the same new fingerprint exists, returns it instead. */
  addChange(change: Change): Change;
  updateChange(id: string, fields: Pick<Change, 'status'> & { decidedAt: string }): Change | undefined;
  /** Pending changes for the same item are superseded by a newer one (status stays pending, old one removed). */
  supersede(server: string, kind: PinKind, name: string, keepId: string): void;
  change(id: string): Change | undefined;
  changes(filter?: { server?: string; status?: Change['status'] }): Change[];
  close(): void;
}
