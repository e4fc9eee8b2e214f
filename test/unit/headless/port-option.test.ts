import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../electron/main/headless/cli-io.ts';
import { portOption } from '../../../electron/main/headless/commands/port-option.ts';

describe('--port option', () => {
  it('reads 0-65535 and leaves an absent option undefined', () => {
    expect(portOption(undefined, 'usage')).toBeUndefined();
    expect(portOption('0', 'usage')).toBe(0);
    expect(portOption('7337', 'usage')).toBe(7337);
    expect(portOption('65535', 'usage')).toBe(65535);
  });

  it.each(['65536', '-1', '1.5', '12ab', '', ' 80', '0x50'])('refuses "%s" as a usage error', (value) => {
    expect(() => portOption(value, 'gatehouse login <server> [--port N]')).toThrow(UsageError);
    expect(() => portOption(value, 'usage')).toThrow(`--port must be 0-65535, not "${value}"`);
  });
});
