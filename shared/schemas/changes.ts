import { z } from 'zod';

/** What a pin is about: a tool, a prompt, a resource template, or the server's instructions. */
export const pinKindSchema = z.enum(['tool', 'prompt', 'resource-template', 'instructions']);
export type PinKind = z.infer<typeof pinKindSchema>;

export const severitySchema = z.enum(['info', 'low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof severitySchema>;

/** One thing the scanner or the comparison noticed, e.g. text aimed at the model, a flipped hint. */
export const findingSchema = z.object({
  /** Stable code, e.g. `description-changed`, `model-directive`, `hidden-unicode`, `destructive-on`. */
  code: z.string(),
  severity: severitySchema,
  message: z.string(),
  /** Where: a JSON path into the definition (`/inputSchema/properties/path`) or a field name. */
  path: z.string().optional(),
  /** A short excerpt of the offending text, with invisible characters made visible. */
  excerpt: z.string().optional(),
});
export type Finding = z.infer<typeof findingSchema>;

/** One line of a readable diff: text words or a schema path. */
export const diffEntrySchema = z.discriminatedUnion('type', [
  /** Word-level diff of a text field (description, title, instructions). */
  z.object({
    type: z.literal('text'),
    path: z.string(),
    parts: z.array(z.object({ op: z.enum(['same', 'added', 'removed']), text: z.string() })),
  }),
  /** A value added, removed or changed at a JSON path (schemas, annotations, arguments). */
  z.object({
    type: z.literal('value'),
    path: z.string(),
    op: z.enum(['added', 'removed', 'changed']),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
  }),
]);
export type DiffEntry = z.infer<typeof diffEntrySchema>;

/** A detected change waiting for (or after) the person's review. */
export const changeSchema = z.object({
  id: z.string(),
  server: z.string(),
  kind: pinKindSchema,
  /** Tool or prompt name, resource template URI template, or "" for instructions. */
  name: z.string(),
  change: z.enum(['new', 'changed', 'removed']),
  status: z.enum(['pending', 'accepted', 'rejected', 'noted']),
  severity: severitySchema,
  detectedAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().optional(),
  /** How it was seen: a list passing through, a list_changed re-list, or the periodic re-list. */
  source: z.enum(['list', 'list-changed', 'periodic']),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  diff: z.array(diffEntrySchema),
  findings: z.array(findingSchema),
});
export type Change = z.infer<typeof changeSchema>;
