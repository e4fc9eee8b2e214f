/**
 * The audit log could not record something. For a call's intent this means the call must be denied:
 * Gatehouse never forwards a call it could not audit.
 */
export class AuditWriteError extends Error {
  /** SQLite's error code (e.g. `SQLITE_FULL`), when SQLite failed. */
  readonly code: string | undefined;

  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuditWriteError';
    this.code = options.code;
  }
}

function describeSqliteCode(code: string): string | undefined {
  if (code === 'SQLITE_FULL') return 'database or disk is full';
  if (code.startsWith('SQLITE_READONLY')) return 'the database file or its folder is read-only';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return 'the database is locked by another program';
  }
  if (code.startsWith('SQLITE_IOERR')) return 'disk I/O error';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'the database file is damaged';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'the database file cannot be opened';
  return undefined;
}

/** Wraps whatever a failed write threw into an {@link AuditWriteError} with a clear message. */
export function toAuditWriteError(error: unknown): AuditWriteError {
  if (error instanceof AuditWriteError) return error;
  const raw: unknown = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  const code = typeof raw === 'string' ? raw : undefined;
  const detail =
    (code && describeSqliteCode(code)) ?? (error instanceof Error ? error.message : String(error));
  return new AuditWriteError(`the audit log cannot be written: ${detail}`, { code, cause: error });
}
