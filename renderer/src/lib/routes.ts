/** The pages of the settings window, in navigation order, with their exact labels. */
export const pages = [
  { id: 'overview', label: 'Overview' },
  { id: 'servers', label: 'Servers' },
  { id: 'clients', label: 'Clients' },
  { id: 'policies', label: 'Policies' },
  { id: 'sessions', label: 'Sessions' },
  { id: 'audit', label: 'Audit' },
  { id: 'changes', label: 'Changes' },
  { id: 'logins', label: 'Logins' },
  { id: 'settings', label: 'Settings' },
] as const;
export type PageId = (typeof pages)[number]['id'];
export type Route = PageId | 'popup';

/** `#/servers` → `servers`; `#/popup` → the approval popup; anything else → `overview`. */
export function parseRoute(hash: string): Route {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  if (id === 'popup') return 'popup';
  return pages.some((page) => page.id === id) ? (id as PageId) : 'overview';
}

/** The hash of a route. */
export function routeHash(route: Route): string {
  return `#/${route}`;
}
