import { preferencesOf, settingsDiffer, type Settings } from '../../../shared/schemas/settings.ts';
import type { AuditEvent, AuditLog } from '../audit/audit-log.ts';
import type { Disposable } from '../base/disposable.ts';
import type { Logger } from '../base/logger.ts';
import type { Gateway } from '../gateway/gateway-server.ts';
import type { Governor } from '../policy/governor.ts';
import { scopeServer } from '../pinning/pin-scope.ts';
import type { PinService } from '../pinning/pin-service.ts';
import type { SettingsStore } from '../store/settings-store.ts';

/**
 * Writes what changes to the audit log — sessions opening and closing, servers, clients, rules,
 * settings, pause and resume, whoever made them (this process or the CLI, seen through the settings
 * watcher) — and tells the governor when policy changed so live sessions see it at once.
 */
export function auditChanges(deps: {
  settings: SettingsStore;
  gateway: Gateway;
  audit: AuditLog;
  governor: Governor;
  pins: PinService;
  logger: Logger;
}): Disposable {
  const { audit, gateway, logger } = deps;
  const write = (event: AuditEvent) =>
    void audit
      .writeEvent(event)
      .catch((error: unknown) => logger.error('audit event not written', { error: String(error) }));
  let previous = deps.settings.current;
  const subscriptions: Disposable[] = [
    gateway.sessions.onDidAdd((s) =>
      write({
        kind: 'session-open',
        client: s.info.clientName,
        session: s.id,
        server: s.info.serverName,
        detail: {
          clientInfo: s.info.clientInfo,
          protocolVersion: s.info.protocolVersion,
          transport: s.upstream.transport,
        },
      }),
    ),
    gateway.onDidCloseSession(({ session, reason }) => {
      write({
        kind: 'session-close',
        client: session.info.clientName,
        session: session.id,
        server: session.info.serverName,
        detail: { reason, requests: session.requests },
      });
    }),
    // A detected or reviewed definition change: audited, and sessions whose visible tools changed hear of it.
    deps.pins.onDidChange(({ server, change }) => {
      write({
        kind:
          change.status === 'pending' || change.status === 'noted' ? 'change-detected' : 'change-reviewed',
        server,
        ...(change.kind === 'tool' ? { tool: change.name } : {}),
        detail: {
          id: change.id,
          kind: change.kind,
          name: change.name,
          change: change.change,
          status: change.status,
          severity: change.severity,
          findings: change.findings.map((f) => f.code),
        },
      });
      deps.governor.policyChanged(
        gateway.sessions.all().filter((s) => s.info.serverName === scopeServer(server)),
      );
    }),
    deps.settings.onDidChange((next) => {
      for (const event of diffSettings(previous, next)) write(event);
      if (settingsDiffer(previous, next, 'policy')) {
        deps.governor.policyChanged(gateway.sessions.all());
      }
      if (previous.audit.durable !== next.audit.durable) audit.setDurable(next.audit.durable);
      previous = next;
    }),
  ];
  return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
}

/** The audit events a settings change amounts to (names and ids, never secrets: none live here). */
export function diffSettings(a: Settings, b: Settings): AuditEvent[] {
  const events: AuditEvent[] = [];
  const byName = <T extends { name: string }>(list: T[]) =>
    new Map(list.map((x) => [x.name, JSON.stringify(x)]));
  const diff = (
    kind: AuditEvent['kind'],
    before: Map<string, string>,
    after: Map<string, string>,
    field: 'server' | 'client',
  ) => {
    for (const [name, value] of after) {
      if (!before.has(name)) events.push({ kind, [field]: name, detail: { change: 'added' } });
      else if (before.get(name) !== value)
        events.push({ kind, [field]: name, detail: { change: 'updated', to: JSON.parse(value) as unknown } });
    }
    for (const name of before.keys())
      if (!after.has(name)) events.push({ kind, [field]: name, detail: { change: 'removed' } });
  };
  diff('server-change', byName(a.servers), byName(b.servers), 'server');
  const clients = (s: Settings) =>
    new Map(
      s.clients.map((c) => [c.name, JSON.stringify({ createdAt: c.createdAt, revokedAt: c.revokedAt })]),
    );
  diff('client-change', clients(a), clients(b), 'client');
  const rules = (s: Settings) => new Map(s.rules.map((r) => [r.id, JSON.stringify(r)]));
  const ra = rules(a);
  const rb = rules(b);
  for (const [id, value] of rb)
    if (ra.get(id) !== value)
      events.push({
        kind: 'rule-change',
        ruleId: id,
        detail: { change: ra.has(id) ? 'updated' : 'added', rule: JSON.parse(value) as unknown },
      });
  for (const id of ra.keys())
    if (!rb.has(id)) events.push({ kind: 'rule-change', ruleId: id, detail: { change: 'removed' } });
  if (settingsDiffer(a, b, 'preferences')) events.push({ kind: 'setting-change', detail: preferencesOf(b) });
  if (!a.pause && b.pause) events.push({ kind: 'pause', detail: b.pause });
  if (a.pause && !b.pause) events.push({ kind: 'resume', detail: { pausedSince: a.pause.since } });
  if (a.pause && b.pause && JSON.stringify(a.pause) !== JSON.stringify(b.pause))
    events.push({ kind: 'pause', detail: b.pause });
  return events;
}
