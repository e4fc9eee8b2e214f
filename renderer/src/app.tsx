import { useEffect, useRef } from 'react';
import type { ServicesClient } from './api/services-client.ts';
import { Nav } from './components/nav.tsx';
import { ApprovalsContext, useApprovalNotifications } from './hooks/use-approvals.ts';
import { ClientContext } from './hooks/use-client.ts';
import { useHashRoute } from './hooks/use-hash-route.ts';
import { useServiceQuery } from './hooks/use-service-query.ts';
import { useTheme } from './hooks/use-theme.ts';
import { pages, type PageId } from './lib/routes.ts';
import { AuditPage } from './pages/audit.tsx';
import { ChangesPage } from './pages/changes.tsx';
import { ClientsPage } from './pages/clients.tsx';
import { LoginsPage } from './pages/logins.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { PoliciesPage } from './pages/policies.tsx';
import { PopupPage } from './pages/popup.tsx';
import { ServersPage } from './pages/servers.tsx';
import { SessionsPage } from './pages/sessions.tsx';
import { SettingsPage } from './pages/settings.tsx';

const fetchApprovals = (client: ServicesClient) => client.call('approvals.list');

const pageComponents: Record<PageId, () => React.JSX.Element> = {
  overview: OverviewPage,
  servers: ServersPage,
  clients: ClientsPage,
  policies: PoliciesPage,
  sessions: SessionsPage,
  audit: AuditPage,
  changes: ChangesPage,
  logins: LoginsPage,
  settings: SettingsPage,
};

/**
 * The app: hash routing between the settings window's pages (`#/servers`, …) and the approval popup
 * view (`#/popup`, which the desktop popup window loads). The pending approvals are queried once here.
 */
export function App(props: { client: ServicesClient }) {
  const { client } = props;
  const route = useHashRoute();
  useTheme(client);
  const approvals = useServiceQuery(client, fetchApprovals, ['approvals-changed']);
  useApprovalNotifications(approvals.data, client.host);
  return (
    <ClientContext.Provider value={client}>
      <ApprovalsContext.Provider value={approvals}>
        {route === 'popup' ? <PopupPage /> : <Shell page={route} />}
      </ApprovalsContext.Provider>
    </ClientContext.Provider>
  );
}

function Shell(props: { page: PageId }) {
  const Page = pageComponents[props.page];
  const label = pages.find((page) => page.id === props.page)?.label ?? 'Overview';
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    document.title = `${label} · Gatehouse`;
    // Keyboard and screen reader users land on the new page's heading after navigating.
    if (first.current) first.current = false;
    else heading.current?.focus();
  }, [label]);
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Gatehouse</span>
        <Nav current={props.page} />
      </header>
      <main className="page" aria-labelledby="page-title">
        <h1 id="page-title" ref={heading} tabIndex={-1}>
          {label}
        </h1>
        <Page />
      </main>
    </div>
  );
}

/** Shown where no services transport exists (the page was opened from a file). */
export function NoBridge() {
  return (
    <main className="page">
      <h1>Gatehouse</h1>
      <p className="note note-error" role="alert">
        This page runs inside the Gatehouse desktop app or from <code>gatehouse serve</code> at{' '}
        <code>/app</code>.
      </p>
    </main>
  );
}
