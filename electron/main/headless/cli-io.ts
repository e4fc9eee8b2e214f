import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FileSecretStore, type SecretCipher, type SecretStore } from '../store/secret-store.ts';

/** A mistake in how a command was called: the CLI prints the message and the usage line, exits 2. */
export class UsageError extends Error {
  readonly usage: string;
  constructor(message: string, usage: string) {
    super(message);
    this.usage = usage;
  }
}

/** Where commands write; tests capture it. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /**
   * The desktop app's safeStorage, when the command runs inside the app binary (`Gatehouse --cli`):
   * secrets the app sealed are then readable. The plain command line has none.
   */
  secretCipher?: SecretCipher;
}

/** The data folder's secret store, sealed with the host's cipher when there is one. */
export function openSecrets(dataDir: string, io: CliIO): SecretStore {
  return new FileSecretStore(dataDir, io.secretCipher);
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  env: process.env,
};

/** node:util parseArgs with errors turned into usage errors. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
  positionals: { min: number; max: number },
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ''), usage);
  }
  if (parsed.positionals.length < positionals.min) throw new UsageError('missing arguments', usage);
  if (parsed.positionals.length > positionals.max) {
    throw new UsageError(`unexpected argument "${parsed.positionals[positionals.max]}"`, usage);
  }
  return parsed;
}

/** Prints rows as aligned columns. */
export function table(io: CliIO, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  io.out(line(header));
  for (const row of rows) io.out(line(row));
}

/** Prints a list as JSON (`--json`), a message when empty, or a table. Returns exit code 0. */
export function printList<T>(
  io: CliIO,
  items: readonly T[],
  options: { json: boolean | undefined; empty: string; header: string[]; row: (item: T) => string[] },
): number {
  if (options.json) io.out(JSON.stringify(items, null, 2));
  else if (items.length === 0) io.out(options.empty);
  else table(io, options.header, items.map(options.row));
  return 0;
}

/** Command-line values are JSON when they parse as JSON (numbers, booleans, arrays), else text. */
export function jsonOrText(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
