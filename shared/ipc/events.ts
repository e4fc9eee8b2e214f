import { z } from 'zod';
import { serverStatusSchema } from '../schemas/servers.ts';
import { settingsDiffer, type Settings } from '../schemas/settings.ts';

/** Change events the core raises; UIs refetch what an event names (architecture.md convention 9). */
export const serviceEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('servers-changed') }),
  z.object({ type: z.literal('clients-changed') }),
  z.object({ type: z.literal('settings-changed') }),
  z.object({ type: z.literal('sessions-changed') }),
  z.object({ type: z.literal('status-changed') }),
  z.object({ type: z.literal('rules-changed') }),
  z.object({ type: z.literal('approvals-changed'), pending: z.number().int().nonnegative() }),
  z.object({ type: z.literal('audit-appended') }),
  z.object({ type: z.literal('logins-changed') }),
  /** A server's login ended for good (refresh refused): the desktop app notifies. */
  z.object({ type: z.literal('login-needed'), server: z.string(), reason: z.string() }),
  z.object({ type: z.literal('connections-changed') }),
  z.object({ type: z.literal('changes-changed'), pending: z.number().int().nonnegative() }),
  z.object({
    type: z.literal('server-status-changed'),
    server: z.string(),
    status: serverStatusSchema,
    error: z.string().optional(),
  }),
]);
export type ServiceEvent = z.infer<typeof serviceEventSchema>;

/** Which parts of the settings changed, as events. */
export function settingsEvents(a: Settings, b: Settings): ServiceEvent[] {
  const events: ServiceEvent[] = [];
  if (JSON.stringify(a.servers) !== JSON.stringify(b.servers)) events.push({ type: 'servers-changed' });
  if (JSON.stringify(a.clients) !== JSON.stringify(b.clients)) events.push({ type: 'clients-changed' });
  if (settingsDiffer(a, b, 'policy')) events.push({ type: 'rules-changed' });
  if (settingsDiffer(a, b, 'preferences')) events.push({ type: 'settings-changed' });
  return events;
}
