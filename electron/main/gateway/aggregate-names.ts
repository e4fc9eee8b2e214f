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
  readonly #templates = new Map<string, { template: string; pattern: TemplateMatcher }[]>();

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
    const list: { template: string; pattern: TemplateMatcher }[] = [];
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

/** Templates longer than this are only compared for equality, never matched (bounds matching work). */
export const MAX_MATCHED_TEMPLATE_LENGTH = 2048;
/** URIs longer than this are never matched against templates (bounds matching work). */
export const MAX_MATCHED_URI_LENGTH = 65_536;

/** Tells whether a URI matches a resource template. */
export interface TemplateMatcher {
  test(uri: string): boolean;
}

/** A compiled template step: one literal UTF-16 code unit, or a placeholder (`/`-free or any run). */
type TemplateToken = { kind: 'literal'; unit: number } | { kind: 'segment' } | { kind: 'any' };

const SLASH = 0x2f;

/**
 * Compiles an RFC 6570 template for routing. Text outside `{…}` is literal (no character is special).
 * Expressions match a run of characters, possibly empty:
 * - `{var}`, `{a,b}`, `{var*}`, `{.var}`, `{;var}`: any run without `/` (simple expansion encodes `/`);
 * - `{+var}`, `{#var}`, `{/var}`, `{?var}`, `{&var}`: any run, `/` included (reserved and fragment
 *   expansion keep `/`; path segments and query parts may span several `/`).
 * An unclosed `{` is literal. Neighbouring expressions merge into one (the wider one wins).
 */
function compileTemplate(template: string): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  const placeholder = (kind: 'segment' | 'any') => {
    const last = tokens.at(-1);
    if (last === undefined || last.kind === 'literal') tokens.push({ kind });
    else if (kind === 'any') last.kind = 'any';
  };
  let i = 0;
  while (i < template.length) {
    const close = template[i] === '{' ? template.indexOf('}', i + 1) : -1;
    if (close === -1) {
      tokens.push({ kind: 'literal', unit: template.charCodeAt(i) });
      i += 1;
    } else {
      placeholder('+#/?&'.includes(template.charAt(i + 1)) ? 'any' : 'segment');
      i = close + 1;
    }
  }
  return tokens;
}

/**
 * Whether `uri` matches the compiled template as a whole. A left-to-right simulation of the
 * template's states (no RegExp, no backtracking): each character of the URI is looked at once against
 * the set of template positions reachable so far, so the work is at most O(template × URI) whatever
 * the template, and stops as soon as no position is reachable.
 */
function matchTokens(tokens: readonly TemplateToken[], uri: string): boolean {
  const end = tokens.length;
  let active = new Uint8Array(end + 1);
  let next = new Uint8Array(end + 1);
  /** Placeholders may match nothing: a reachable placeholder makes the step after it reachable too. */
  const close = (set: Uint8Array): boolean => {
    let any = false;
    for (let t = 0; t <= end; t++) {
      if (!set[t]) continue;
      any = true;
      if (t < end && tokens[t]!.kind !== 'literal') set[t + 1] = 1;
    }
    return any;
  };
  active[0] = 1;
  close(active);
  for (let k = 0; k < uri.length; k++) {
    const unit = uri.charCodeAt(k);
    next.fill(0);
    for (let t = 0; t < end; t++) {
      if (!active[t]) continue;
      const token = tokens[t]!;
      if (token.kind === 'literal') {
        if (token.unit === unit) next[t + 1] = 1;
      } else if (token.kind === 'any' || unit !== SLASH) {
        next[t] = 1;
      }
    }
    if (!close(next)) return false;
    [active, next] = [next, active];
  }
  return active[end] === 1;
}

/**
 * A matcher for an RFC 6570 template (see `compileTemplate` for what each expression matches). It
 * is safe on templates from untrusted servers: matching never backtracks (see `matchTokens`), and
 * over-long templates or URIs never match.
 */
export function templatePattern(template: string): TemplateMatcher {
  if (template.length > MAX_MATCHED_TEMPLATE_LENGTH) return { test: () => false };
  const tokens = compileTemplate(template);
  return { test: (uri) => uri.length <= MAX_MATCHED_URI_LENGTH && matchTokens(tokens, uri) };
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
