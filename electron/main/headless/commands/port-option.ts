import { UsageError } from '../cli-io.ts';

/** The value of a `--port N` option (0-65535; 0 lets the OS choose), or undefined when it was not given. */
export function portOption(value: string | undefined, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new UsageError(`--port must be 0-65535, not "${value}"`, usage);
  return port;
}
