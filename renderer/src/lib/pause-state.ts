import type { AuditRecord } from '../../../shared/schemas/audit.ts';
import { pauseSchema, type Pause } from '../../../shared/schemas/policy.ts';

/**
 * The pause in force, read from audited events (newest first): the newest `pause` record holds the
 * pause itself, a newer `resume` ends it, and a pause whose end has passed is over. The services
 * contract has no call that returns the pause, and the audit log records every one (from this window,
 * the tray or the command line).
 */
export function pauseFromEvents(records: readonly AuditRecord[], now: number): Pause | undefined {
  for (const record of records) {
    if (record.kind === 'resume') return undefined;
    if (record.kind !== 'pause') continue;
    const pause = pauseSchema.safeParse(record.detail);
    if (!pause.success) return undefined;
    if (pause.data.until !== undefined && Date.parse(pause.data.until) <= now) return undefined;
    return pause.data;
  }
  return undefined;
}
