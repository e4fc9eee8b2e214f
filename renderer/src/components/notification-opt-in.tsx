import type { HostKind } from '../api/services-client.ts';
import { useNotificationPermission } from '../hooks/use-approvals.ts';

/**
 * Browser only: asks for notification permission when the person clicks (never on load), so new
 * approvals can be announced while the tab is in the background.
 */
export function NotificationOptIn(props: { host: HostKind }) {
  const permission = useNotificationPermission(props.host);
  if (permission.state === 'unsupported' || permission.state === 'granted') return null;
  if (permission.state === 'denied')
    return <p className="muted">Browser notifications are blocked for this page.</p>;
  return (
    <p className="muted">
      <button type="button" className="small" onClick={permission.request}>
        Enable notifications
      </button>{' '}
      to hear about new approvals while this tab is in the background.
    </p>
  );
}
