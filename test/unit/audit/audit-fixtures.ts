// Shared by the audit tests: temp folders with real SQLite files, and sample calls.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import type { AuditVerify } from '../../../shared/schemas/audit.ts';
import { AuditLog, type AuditLogOptions, type CallIntent } from '../../../electron/main/audit/audit-log.ts';

/** A fresh temp folder per test, removed afterwards, and the logs opened in it closed. */
export function useAuditFolder(): {
  file: () => string;
  open: (options?: Partial<AuditLogOptions>) => AuditLog;
} {
  let dir: string | undefined;
  const opened: AuditLog[] = [];
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close().catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const file = () => {
    dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-audit-'));
    return path.join(dir, 'audit.sqlite');
  };
  return {
    file,
    open: (options = {}) => {
      const log = AuditLog.open({ file: file(), ...options });
      opened.push(log);
      return log;
    },
  };
}

/** A call intent with sensible defaults. */
export function intent(overrides: Partial<CallIntent> = {}): CallIntent {
  return {
    client: 'claude',
    session: 'sess-1',
    server: 'github',
    tool: 'list_issues',
    requestId: crypto.randomUUID(),
    args: { repo: 'acme/site', state: 'open' },
    decision: 'allow',
    risk: 'read',
    ...overrides,
  };
}

/** Waits a few milliseconds (distinct wall-clock times). */
export function tick(ms = 3): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Asserts that verification failed at `seq` for a reason matching `reason`. */
export function expectBroken(result: AuditVerify, seq: number, reason: RegExp = /./): void {
  expect(result.ok).toBe(false);
  expect(result.firstBroken?.seq).toBe(seq);
  expect(result.firstBroken?.reason).toMatch(reason);
}
