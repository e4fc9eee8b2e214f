import type { ClientSpec } from './client-specs.ts';
import type { ConfigFormat } from './config-format.ts';
import { jsonFormat } from './json-format.ts';
import { tomlFormat } from './toml-format.ts';

/** The reader/editor of a client's config format. */
export function formatOf(spec: ClientSpec): ConfigFormat {
  return spec.format === 'toml'
    ? tomlFormat(spec.serversKey)
    : jsonFormat(spec.serversKey, { comments: spec.format === 'jsonc' });
}
