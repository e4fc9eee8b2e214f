import type { ClientRecord } from '../../../shared/schemas/clients.ts';
import { globMatches } from '../policy/glob.ts';

/**
 * Names on the aggregated endpoint `/mcp`: tools and prompts are `<server>__<name>`. Server names
 * never contain `_` (shared/schemas/servers.ts), so the first `__` always ends the server part and the
 * mapping is reversible for every tool name, including names that contain `__` themselves.
 */
export const NAME_SEPARATOR = '__';

export function namespacedName(server: string, name: string): string {
  return `${server}${NAME_SEPARATOR}${name}`;
}

/** Splits `<server>__<name>`; undefined when the name has no server part. */
export function splitNamespaced(name: string): { server: string; name: string } | undefined {
  const at = name.indexOf(NAME_SEPARATOR);
  if (at <= 0) return undefined;
  return { server: name.slice(0, at), name: name.slice(at + NAME_SEPARATOR.length) };
}

/** Whether a client may reach a server (`servers` absent = every server). */
export function serverAllowed(client: Pick<ClientRecord, 'servers'>, server: string): boolean {
  return !client.servers || client.servers.includes(server);
}

/**
 * Whether a client's tool filter lets a server's tool through (`toolFilter` absent = every tool). A
 * pattern may name the tool as `/mcp` shows it (`github__*`, `github__create_*`) or by its plain name
 * (`create_*`, any server): the filter means the same on `/mcp` and on `/mcp/<server>`.
 */
export function toolAllowed(
  client: Pick<ClientRecord, 'toolFilter'> | undefined,
  server: string,
  tool: string,
): boolean {
  const filter = client?.toolFilter;
  if (!filter) return true;
  const namespaced = namespacedName(server, tool);
  return filter.some((pattern) => globMatches(pattern, namespaced) || globMatches(pattern, tool));
}

/**
 * Which server a resource URI belongs to. URIs pass through `/mcp` unchanged (they often mean
 * something to the client and appear inside tool results); each is routed to the server that listed
 * it, or whose resource template matches it. When two servers list the same URI the first one keeps it.
 */
export class ResourceRoutes {
  readonly #owners = new Map<string, string>();
  readonly #templates = new Map<string, { template: string; pattern: RegExp }[]>();

  /** Remembers the URIs a server listed (resources/list, or links in its tool results). */
  recordUris(server: string, uris: Iterable<unknown>): void {
    for (const uri of uris) {
      if (typeof uri !== 'string') continue;
      if (this.#owners.size >= 10_000 && !this.#owners.has(uri)) this.#owners.clear(); // bounded
      if (!this.#owners.has(uri)) this.#owners.set(uri, server);
    }
  }

  /** Remembers a server's resource templates (resources/templates/list). */
  recordTemplates(server: string, templates: Iterable<unknown>): void {
    const list: { template: string; pattern: RegExp }[] = [];
    for (const template of templates) {
      if (typeof template === 'string') list.push({ template, pattern: templatePattern(template) });
    }
    this.#templates.set(server, list);
  }

  /** Forgets a server (it left the session). */
  forget(server: string): void {
    for (const [uri, owner] of this.#owners) if (owner === server) this.#owners.delete(uri);
    this.#templates.delete(server);
  }

  /**
   * The server for a URI: the one that listed it, else the one with a matching template (or with this
   * very template, for completion/complete), else the only candidate when exactly one serves resources.
   */
  route(uri: string, candidates: string[]): string | undefined {
    const owner = this.#owners.get(uri);
    if (owner && candidates.includes(owner)) return owner;
    for (const server of candidates) {
      const templates = this.#templates.get(server) ?? [];
      if (templates.some((t) => t.template === uri || t.pattern.test(uri))) return server;
    }
    return candidates.length === 1 ? candidates[0] : undefined;
  }
}

/** An anchored RegExp for an RFC 6570 template: each `{…}` expression matches any run of characters. */
export function templatePattern(template: string): RegExp {
  const parts = template.split(/\{[^}]*\}/);
  const escaped = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}

/** Resource URIs mentioned in a tool result (resource links and embedded resources). */
export function resourceUrisIn(result: Record<string, unknown>): string[] {
  const content = result.content;
  if (!Array.isArray(content)) return [];
  const uris: string[] = [];
  for (const item of content as { type?: unknown; uri?: unknown; resource?: { uri?: unknown } }[]) {
    if (item?.type === 'resource_link' && typeof item.uri === 'string') uris.push(item.uri);
    if (item?.type === 'resource' && typeof item.resource?.uri === 'string') uris.push(item.resource.uri);
  }
  return uris;
}
