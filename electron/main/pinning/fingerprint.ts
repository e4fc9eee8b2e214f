import type { PinKind } from '../../../shared/schemas/changes.ts';
import { canonicalHash } from '../base/canonical-json.ts';

/**
 * The pinned part of a definition: a plain JSON object holding only the fields the model reads or
 * policy uses. Volatile fields (`_meta`, unknown extras) are left out, so they never cause a change.
 */
export type PinnedDefinition = Record<string, unknown>;

const TOOL_FIELDS = [
  'name',
  'title',
  'description',
  'inputSchema',
  'outputSchema',
  'annotations',
  'icons',
  'execution',
] as const;
const PROMPT_FIELDS = ['name', 'title', 'description', 'arguments', 'icons'] as const;
const ARGUMENT_FIELDS = ['name', 'title', 'description', 'required'] as const;
const TEMPLATE_FIELDS = [
  'uriTemplate',
  'name',
  'title',
  'description',
  'mimeType',
  'annotations',
  'icons',
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A deep copy with JSON semantics: `undefined` members dropped, `undefined` array items and
 * non-finite numbers become `null`, `-0` becomes `0`, functions/symbols/bigints are dropped.
 * Keys such as `__proto__` stay plain data (built with `Object.fromEntries`).
 */
function toJson(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null;
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  if (isRecord(value)) {
    const entries = Object.entries(value)
      .map(([key, item]) => [key, toJson(item)] as const)
      .filter(([, item]) => item !== undefined);
    return Object.fromEntries(entries);
  }
  return undefined;
}

function pick(source: unknown, fields: readonly string[]): PinnedDefinition {
  if (!isRecord(source)) return {};
  const entries: [string, unknown][] = [];
  for (const field of fields) {
    if (!Object.hasOwn(source, field)) continue;
    const value = toJson(source[field]);
    if (value !== undefined) entries.push([field, value]);
  }
  return Object.fromEntries(entries);
}

/**
 * The pinned part of an MCP tool: `name`, `title`, `description`, `inputSchema`, `outputSchema`,
 * `annotations`, `icons` and `execution` (e.g. `taskSupport`). `_meta` is volatile and left out;
 * missing fields stay absent. Nested values (schemas) are kept whole.
 */
export function pinnedTool(tool: unknown): PinnedDefinition {
  return pick(tool, TOOL_FIELDS);
}

/**
 * The pinned part of an MCP prompt: `name`, `title`, `description`, `icons`, and `arguments` with
 * each argument reduced to `name`, `title`, `description`, `required`.
 */
export function pinnedPrompt(prompt: unknown): PinnedDefinition {
  const pinned = pick(prompt, PROMPT_FIELDS);
  const args = isRecord(prompt) ? prompt['arguments'] : undefined;
  if (Array.isArray(args)) {
    pinned['arguments'] = args.map((arg) =>
      isRecord(arg) ? pick(arg, ARGUMENT_FIELDS) : (toJson(arg) ?? null),
    );
  }
  return pinned;
}

/**
 * The pinned part of an MCP resource template: `uriTemplate`, `name`, `title`, `description`,
 * `mimeType`, `annotations` (without `lastModified`, a timestamp that changes with the content),
 * `icons`.
 */
export function pinnedResourceTemplate(template: unknown): PinnedDefinition {
  const pinned = pick(template, TEMPLATE_FIELDS);
  const annotations = pinned['annotations'];
  if (isRecord(annotations) && Object.hasOwn(annotations, 'lastModified')) {
    pinned['annotations'] = Object.fromEntries(
      Object.entries(annotations).filter(([key]) => key !== 'lastModified'),
    );
  }
  return pinned;
}

/** The pinned form of a server's `instructions` (from `initialize`): `{ instructions: text }`. */
export function pinnedInstructions(text: string): PinnedDefinition {
  return { instructions: text };
}

/** The pinned form of any kind of item (dispatches to the `pinned*` function of `kind`). */
export function pinnedDefinition(kind: PinKind, item: unknown): PinnedDefinition {
  switch (kind) {
    case 'tool':
      return pinnedTool(item);
    case 'prompt':
      return pinnedPrompt(item);
    case 'resource-template':
      return pinnedResourceTemplate(item);
    case 'instructions':
      return pinnedInstructions(typeof item === 'string' ? item : '');
  }
}

/** The fingerprint of a pinned definition: SHA-256 (hex) of its canonical JSON. */
export function fingerprint(definition: unknown): string {
  return canonicalHash(definition);
}

/**
 * The name a pin is kept under: the tool or prompt `name`, the template's `uriTemplate`, or `''` for
 * instructions. `undefined` when a tool, prompt or template has no string name (it cannot be pinned).
 */
export function itemName(kind: PinKind, definition: unknown): string | undefined {
  if (kind === 'instructions') return '';
  const name = isRecord(definition)
    ? definition[kind === 'resource-template' ? 'uriTemplate' : 'name']
    : undefined;
  return typeof name === 'string' ? name : undefined;
}
