import { preferenceKeys, readPreference, type PreferenceKey } from '../../../../shared/schemas/settings.ts';
import type { GatewayServices } from '../../services/gateway-services.ts';
import { jsonOrText, parse, UsageError, type CliIO } from '../cli-io.ts';

export const CONFIG_USAGE = [
  'gatehouse config list',
  'gatehouse config get <key>',
  'gatehouse config set <key> <value>',
].join('\n       ');

function isKey(key: string): key is PreferenceKey {
  return (preferenceKeys as readonly string[]).includes(key);
}

/** `gatehouse config ...`: schema-checked settings. */
export async function configCommand(args: string[], services: GatewayServices, io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list': {
      parse(rest, {}, CONFIG_USAGE, { min: 0, max: 0 });
      const prefs = await services['settings.get']();
      for (const key of preferenceKeys) io.out(`${key} = ${JSON.stringify(readPreference(prefs, key))}`);
      return 0;
    }
    case 'get': {
      const { positionals } = parse(rest, {}, CONFIG_USAGE, { min: 1, max: 1 });
      const key = positionals[0]!;
      if (!isKey(key))
        throw new UsageError(`unknown key "${key}" (keys: ${preferenceKeys.join(', ')})`, CONFIG_USAGE);
      const prefs = await services['settings.get']();
      io.out(JSON.stringify(readPreference(prefs, key)));
      return 0;
    }
    case 'set': {
      const { positionals } = parse(rest, {}, CONFIG_USAGE, { min: 2, max: 2 });
      const key = positionals[0]!;
      if (!isKey(key))
        throw new UsageError(`unknown key "${key}" (keys: ${preferenceKeys.join(', ')})`, CONFIG_USAGE);
      const prefs = await services['settings.set']({ key, value: jsonOrText(positionals[1]!) });
      io.out(`${key} = ${JSON.stringify(readPreference(prefs, key))}`);
      if (key === 'gateway.port') io.out('The new port applies the next time the gateway starts.');
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown command "config ${sub}"` : 'missing command', CONFIG_USAGE);
  }
}
