/** Log levels in increasing severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

const SECRET_KEY =
  /authorization|token|secret|password|passwd|api[-_]?key|cookie|credential|private[-_]?key|verifier/i;
const URL_SECRET =
  /((?:^|[?&])(?:access_token|refresh_token|id_token|token|api_key|apikey|key|code|code_verifier|client_secret|assertion)=)[^&\s#"]+/gi;
/** A JWT (OAuth access and ID tokens are often JWTs), wherever it appears in a message. */
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const GATEHOUSE_TOKEN = /\bgh[ca]_[A-Za-z0-9_-]{20,}/g;

/**
 * Removes anything that looks like a credential from a log field. Logs are a place secrets leak from,
 * so redaction happens here, at the one sink, not at each call site.
 */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string')
    return value
      .replace(BEARER, '$1 [redacted]')
      .replace(GATEHOUSE_TOKEN, '[redacted]')
      .replace(JWT, '[redacted]')
      .replace(URL_SECRET, '$1[redacted]');
  if (value instanceof Error) return redactForLog(value.message, depth);
  if (value === null || typeof value !== 'object') return value;
  // Deeper objects are not walked, so they must not be logged as they are: they may hold secrets.
  if (depth > 4) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : redactForLog(item, depth + 1);
  }
  return out;
}

export interface LogSink {
  write(line: string): void;
}

/** A line-oriented logger writing `time level [scope] message {fields}` to a sink (stderr by default). */
export function createLogger(options: { level?: LogLevel; sink?: LogSink; scope?: string } = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const sink = options.sink ?? { write: (line: string) => process.stderr.write(line + '\n') };
  const make = (scope: string): Logger => {
    const log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] < min) return;
      const extra = fields ? ' ' + JSON.stringify(redactForLog(fields)) : '';
      sink.write(
        `${new Date().toISOString()} ${level.padEnd(5)} [${scope}] ${String(redactForLog(message))}${extra}`,
      );
    };
    return {
      debug: (m, f) => log('debug', m, f),
      info: (m, f) => log('info', m, f),
      warn: (m, f) => log('warn', m, f),
      error: (m, f) => log('error', m, f),
      child: (sub) => make(`${scope}:${sub}`),
    };
  };
  return make(options.scope ?? 'gatehouse');
}

/** A logger that drops everything (tests that do not inspect logs). */
export const nullLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => nullLogger,
};
