import type { GatewayStatus } from '../../../shared/schemas/sessions.ts';

/** One line saying where the gateway listens, or why it does not. Text only, never HTML. */
export function GatewayStatusLine(props: { status: GatewayStatus | undefined; error: string | undefined }) {
  const { status, error } = props;
  if (error) return <p className="status status-error">Cannot reach the Gatehouse core: {error}</p>;
  if (!status) return <p className="status">Loading…</p>;
  return (
    <div>
      <p className={`status status-${status.state}`}>{describe(status)}</p>
      {status.settingsProblem ? <p className="status status-error">{status.settingsProblem}</p> : null}
      <p className="muted">
        Data folder: <code>{status.dataDir}</code> · {status.servers} server(s) · {status.sessions} live
        session(s)
      </p>
    </div>
  );
}

function describe(status: GatewayStatus): string {
  switch (status.state) {
    case 'listening':
      return `Gateway listening on ${status.url ?? '127.0.0.1'}`;
    case 'starting':
      return 'Gateway starting…';
    case 'error':
      return `Gateway error: ${status.error ?? 'unknown error'}`;
    case 'stopped':
      return 'Gateway stopped';
  }
}
