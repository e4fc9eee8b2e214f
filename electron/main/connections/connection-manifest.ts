import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { clientKindSchema, type ClientKind } from '../../../shared/schemas/connections.ts';
import { keepAside, writeFileAtomic } from '../store/fs-utils.ts';

/**
 * How disconnect can put a config file back as it was before Gatehouse wrote to it: copy a backup
 * (`backup`), delete the file Gatehouse created (`delete`), or only remove Gatehouse's entries (`none`:
 * the file already held Gatehouse entries that someone else had changed when Gatehouse wrote).
 */
const restoreSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('backup'), path: z.string() }),
  z.object({ type: z.literal('delete') }),
  z.object({ type: z.literal('none') }),
]);
export type RestorePoint = z.infer<typeof restoreSchema>;

const connectionRecordSchema = z.object({
  configPath: z.string(),
  restore: restoreSchema,
  /** SHA-256 of the file's bytes right after Gatehouse's last write. */
  writtenSha256: z.string(),
  /** The entries Gatehouse wrote. */
  entries: z.array(z.string()),
  /** Direct entries replaced by gateway entries on adopt, and the server each became. */
  adopted: z
    .array(
      z.object({
        entry: z.string(),
        server: z.string(),
        /** The backup holding the entry as it was, to put it back when only entries can be removed. */
        backup: z.string().optional(),
      }),
    )
    .default([]),
  updatedAt: z.iso.datetime(),
});
export type ConnectionRecord = z.infer<typeof connectionRecordSchema>;

const manifestSchema = z.object({
  version: z.literal(1),
  clients: z.partialRecord(clientKindSchema, connectionRecordSchema),
});
type Manifest = z.infer<typeof manifestSchema>;

export function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/**
 * What Gatehouse wrote to which client config (`connections.json` in the data folder): the record
 * that lets disconnect restore a file byte for byte when nobody has changed it since.
 */
export class ConnectionManifest {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'connections.json');
  }

  #load(): Manifest {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return { version: 1, clients: {} };
    }
    const parsed = manifestSchema.safeParse(
      (() => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return undefined;
        }
      })(),
    );
    if (parsed.success) return parsed.data;
    // A damaged manifest only loses byte-for-byte undo; disconnect then removes entries by name.
    keepAside(this.file, 'corrupt');
    return { version: 1, clients: {} };
  }

  get(kind: ClientKind): ConnectionRecord | undefined {
    return this.#load().clients[kind];
  }

  set(kind: ClientKind, record: ConnectionRecord | undefined): void {
    const manifest = this.#load();
    if (record) manifest.clients[kind] = record;
    else delete manifest.clients[kind];
    writeFileAtomic(this.file, JSON.stringify(manifest, null, 2) + '\n');
  }
}
