import type { Risk } from '../../../shared/schemas/policy.ts';

/**
 * MCP tool annotations (2025-11-25 `ToolAnnotations`). All are hints: a server may lie, so values are
 * read defensively (only a literal `true`/`false` counts; anything else is treated as absent).
 */
export interface ToolAnnotations {
  title?: string;
  /** Does not modify its environment. Default false. */
  readOnlyHint?: boolean;
  /** May perform destructive updates; meaningful only when readOnlyHint is false. Default true. */
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/**
 * The risk class of a tool, from its annotations and whether its server is trusted.
 *
 * Trusted server (annotations may relax policy):
 * - no annotations object → `unknown`;
 * - `readOnlyHint === true` → `read`;
 * - else `destructiveHint === false` → `write`;
 * - else → `destructive` (the spec's defaults: not read-only, destructive).
 *
 * Untrusted server (MCP: clients must not base decisions on untrusted annotations, so they can only
 * tighten): `destructiveHint === true` → `destructive`; anything else → `unknown`.
 */
export function classifyRisk(annotations: ToolAnnotations | null | undefined, trusted: boolean): Risk {
  const hints: ToolAnnotations | undefined =
    typeof annotations === 'object' && annotations !== null ? annotations : undefined;
  if (!trusted) return hints?.destructiveHint === true ? 'destructive' : 'unknown';
  if (hints === undefined) return 'unknown';
  if (hints.readOnlyHint === true) return 'read';
  if (hints.destructiveHint === false) return 'write';
  return 'destructive';
}

const RISK_NOUNS: Record<Risk, string> = {
  read: 'read-only tools',
  write: 'tools that write',
  destructive: 'destructive tools',
  unknown: 'tools of unknown risk',
};

/** The risk class as a plural noun for sentences: `destructive tools`, `tools of unknown risk`. */
export function riskNoun(risk: Risk): string {
  return RISK_NOUNS[risk];
}
