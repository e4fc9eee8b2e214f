import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { PendingApproval } from '../../../shared/schemas/approvals.ts';
import type { HostKind } from '../api/services-client.ts';
import type { QueryState } from './use-service-query.ts';

/** What the Overview and the popup say when no approval is pending. */
export const noApprovals = 'No calls are waiting for your answer.';

/** The pending approvals, queried once by the app shell and shared by the Overview and the popup. */
export const ApprovalsContext = createContext<QueryState<PendingApproval[]> | undefined>(undefined);

export function useApprovals(): QueryState<PendingApproval[]> {
  const approvals = useContext(ApprovalsContext);
  if (!approvals) throw new Error('useApprovals() outside <ApprovalsContext.Provider>');
  return approvals;
}

/** Whether this page can show browser notifications at all (a browser tab, not Electron). */
function notificationsSupported(host: HostKind): boolean {
  return host === 'browser' && typeof window.Notification === 'function';
}

/**
 * Browser only: a notification for each new approval while the page is hidden (the desktop app has
 * its own OS notifications). Clicking it brings the tab forward on the approval view.
 */
export function useApprovalNotifications(approvals: PendingApproval[] | undefined, host: HostKind): void {
  const seen = useRef<Set<string> | undefined>(undefined);
  useEffect(() => {
    if (!approvals) return;
    const previous = seen.current;
    seen.current = new Set(approvals.map((approval) => approval.id));
    // The first answer only records what is already there: no burst of notifications on load.
    if (!previous || !notificationsSupported(host)) return;
    if (Notification.permission !== 'granted' || !document.hidden) return;
    for (const approval of approvals) {
      if (previous.has(approval.id)) continue;
      const notification = new Notification('Gatehouse: a call needs your answer', {
        body: `${approval.client} wants to call ${approval.tool} on ${approval.server}`,
        tag: `gatehouse-approval-${approval.id}`,
      });
      notification.onclick = () => {
        window.focus();
        location.hash = '#/popup';
        notification.close();
      };
    }
  }, [approvals, host]);
}

/** Browser notification permission, and a request function to call from a click (never on load). */
export function useNotificationPermission(host: HostKind): {
  state: NotificationPermission | 'unsupported';
  request: () => void;
} {
  const [state, setState] = useState<NotificationPermission | 'unsupported'>(() =>
    notificationsSupported(host) ? Notification.permission : 'unsupported',
  );
  return {
    state,
    request: () => {
      if (!notificationsSupported(host)) return;
      void Notification.requestPermission().then(setState);
    },
  };
}
