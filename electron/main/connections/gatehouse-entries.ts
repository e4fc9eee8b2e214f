import type { ClientSpec } from './client-specs.ts';

/** The name of the one entry for the aggregated `/mcp` endpoint. */
export const AGGREGATE_ENTRY = 'gatehouse';
const PREFIX = 'gatehouse-';

/** `gatehouse` for the aggregated endpoint, `gatehouse-<server>` for one server. */
export function entryName(server?: string): string {
  return server ? PREFIX + server : AGGREGATE_ENTRY;
}

/**
 * Which endpoint an entry Gatehouse wrote points at: null for the aggregated `/mcp`, a server name
 * for `/mcp/<server>`, undefined when the entry is not one of Gatehouse's. An entry is Gatehouse's
 * when its name is `gatehouse` or `gatehouse-<server>` AND it points at the local gateway (a loopback
 * URL under `/mcp`) or runs `gatehouse bridge`.
 */
export function gatehouseTarget(spec: ClientSpec, name: string, value: unknown): string | null | undefined {
  if (name !== AGGREGATE_ENTRY && !name.startsWith(PREFIX)) return undefined;
  const info = spec.readEntry(value);
  let local = false;
  if (info.url) {
    try {
      const url = new URL(info.url);
      local =
        ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) &&
        (url.pathname === '/mcp' || url.pathname.startsWith('/mcp/'));
    } catch {
      local = false;
    }
  } else if (info.args) {
    local = info.args.includes('bridge') && info.args.includes('--client');
  }
  if (!local) return undefined;
  return name === AGGREGATE_ENTRY ? null : name.slice(PREFIX.length);
}

/** A server name (a slug) for an entry being adopted, unique among `taken`. */
export function serverNameFor(entry: string, taken: ReadonlySet<string>): string {
  const base =
    entry
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 44)
      .replace(/-+$/, '') || 'server';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
