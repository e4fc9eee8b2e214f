import fs from 'node:fs';
import type { DetectedClient } from '../../../shared/schemas/connections.ts';
import type { Settings } from '../../../shared/schemas/settings.ts';
import type { ClientSpec } from './client-specs.ts';
import { readConfigFile } from './config-file.ts';
import { ConfigParseError } from './config-format.ts';
import { gatehouseTarget } from './gatehouse-entries.ts';
import type { HostEnv } from '../base/paths.ts';
import { formatOf } from './formats.ts';

/**
 * What Gatehouse finds of one client: installed (its config folder or app exists), its config file,
 * the servers routed through Gatehouse by entries Gatehouse wrote, and remote servers configured
 * directly that could be adopted. A file that does not parse is reported as `problem`, never written.
 */
export function detectClient(spec: ClientSpec, host: HostEnv, settings: Settings): DetectedClient {
  const configPath = spec.configPath(host);
  const detected: DetectedClient = {
    kind: spec.kind,
    label: spec.label,
    installed: spec.installMarkers(host).some((marker) => fs.existsSync(marker)),
    configPath,
    configExists: false,
    transport: spec.transport,
    connectedServers: [],
    adoptable: [],
  };
  let servers: Record<string, unknown>;
  try {
    const file = readConfigFile(configPath);
    if (!file.exists) return detected;
    detected.configExists = true;
    detected.installed = true;
    servers = formatOf(spec).read(file.text ?? '');
  } catch (error) {
    detected.problem =
      error instanceof ConfigParseError
        ? `${configPath} is ${error.message}; Gatehouse leaves it untouched`
        : `${configPath} cannot be read: ${(error as Error).message}`;
    return detected;
  }
  const client = settings.clients.find((c) => c.name === spec.kind && !c.revokedAt);
  const connected = new Set<string>();
  for (const [name, value] of Object.entries(servers)) {
    const target = gatehouseTarget(spec, name, value);
    if (target === null) {
      for (const server of client?.servers ?? settings.servers.map((s) => s.name)) connected.add(server);
    } else if (target !== undefined) {
      connected.add(target);
    } else {
      const info = spec.readEntry(value);
      if (info.url && /^https?:\/\//i.test(info.url)) {
        detected.adoptable.push({
          entry: name,
          url: info.url,
          headerNames: [...Object.keys(info.headers), ...info.unresolved],
        });
      }
    }
  }
  detected.connectedServers = [...connected];
  return detected;
}
