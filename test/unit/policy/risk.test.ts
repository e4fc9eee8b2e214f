import { describe, expect, it } from 'vitest';
import { classifyRisk, type ToolAnnotations } from '../../../electron/main/policy/risk.ts';

describe('classifyRisk', () => {
  // annotations, trusted server, untrusted server
  it.each<[ToolAnnotations | null | undefined, string, string]>([
    [undefined, 'unknown', 'unknown'],
    [null, 'unknown', 'unknown'],
    [{}, 'destructive', 'unknown'],
    [{ title: 'Delete' }, 'destructive', 'unknown'],
    [{ readOnlyHint: true }, 'read', 'unknown'],
    [{ readOnlyHint: true, destructiveHint: false }, 'read', 'unknown'],
    [{ readOnlyHint: true, destructiveHint: true }, 'read', 'destructive'],
    [{ readOnlyHint: false }, 'destructive', 'unknown'],
    [{ readOnlyHint: false, destructiveHint: false }, 'write', 'unknown'],
    [{ readOnlyHint: false, destructiveHint: true }, 'destructive', 'destructive'],
    [{ destructiveHint: false }, 'write', 'unknown'],
    [{ destructiveHint: true }, 'destructive', 'destructive'],
    [{ destructiveHint: false, idempotentHint: true, openWorldHint: false }, 'write', 'unknown'],
    [{ readOnlyHint: 'true' as unknown as boolean }, 'destructive', 'unknown'],
    [{ destructiveHint: 0 as unknown as boolean }, 'destructive', 'unknown'],
  ])('%j: trusted %s, untrusted %s', (annotations, trusted, untrusted) => {
    expect(classifyRisk(annotations, true)).toBe(trusted);
    expect(classifyRisk(annotations, false)).toBe(untrusted);
  });
});
