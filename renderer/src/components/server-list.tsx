import type { ServerView } from '../../../shared/schemas/servers.ts';

/**
 * The configured upstream servers. Names, URLs and errors come from settings and remote servers, so
 * they are rendered as text (architecture.md convention 12).
 */
export function ServerList(props: { servers: ServerView[] | undefined; error: string | undefined }) {
  const { servers, error } = props;
  if (error) return <p className="status status-error">Could not list servers: {error}</p>;
  if (!servers) return <p className="muted">Loading…</p>;
  if (servers.length === 0) {
    return (
      <p className="muted">
        No servers yet. Add one with <code>npx gatehouse server add &lt;name&gt; &lt;url&gt;</code>.
      </p>
    );
  }
  return (
    <table className="servers">
      <thead>
        <tr>
          <th>Name</th>
          <th>URL</th>
          <th>Status</th>
          <th>Endpoint</th>
        </tr>
      </thead>
      <tbody>
        {servers.map((server) => (
          <tr key={server.name}>
            <td>{server.name}</td>
            <td className="url">{server.url}</td>
            <td>
              <span className={`badge badge-${server.status}`}>{server.status}</span>
              {server.lastError ? <div className="muted">{server.lastError}</div> : null}
            </td>
            <td>
              <code>{server.endpoint}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
