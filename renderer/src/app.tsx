import type { ServicesClient } from './api/services-client.ts';
import { GatewayStatusLine } from './components/gateway-status.tsx';
import { ServerList } from './components/server-list.tsx';
import { useServiceQuery } from './hooks/use-service-query.ts';

const fetchStatus = (client: ServicesClient) => client.call('status.get');
const fetchServers = (client: ServicesClient) => client.call('servers.list');

/** The settings window's first page: gateway status and the server list, refreshed on events. */
export function App(props: { client: ServicesClient }) {
  const status = useServiceQuery(props.client, fetchStatus, [
    'status-changed',
    'servers-changed',
    'sessions-changed',
  ]);
  const servers = useServiceQuery(props.client, fetchServers, [
    'servers-changed',
    'server-status-changed',
    'sessions-changed',
  ]);
  return (
    <main className="app">
      <header>
        <h1>Gatehouse</h1>
        <GatewayStatusLine status={status.data} error={status.error} />
      </header>
      <section>
        <h2>Servers</h2>
        <ServerList servers={servers.data} error={servers.error} />
      </section>
    </main>
  );
}

/** Shown where no services transport exists yet (a plain browser before the headless UI lands). */
export function NoBridge() {
  return (
    <main className="app">
      <h1>Gatehouse</h1>
      <p className="status status-error">
        This page runs inside the Gatehouse desktop app. Without a desktop, run <code>npm run serve</code>.
      </p>
    </main>
  );
}
