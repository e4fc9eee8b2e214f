/**
 * The approval popup view (`#/popup`): pending approvals one at a time.
 * Test hooks: heading "Approvals"; region "Approval: <tool> on <server>"; buttons "Allow once",
 * "Allow for this session", "Always allow", "Deny", "Previous", "Next"; Escape denies the shown
 * approval; the empty state says "No calls are waiting".
 */
import { useEffect, useRef, useState } from 'react';
import { ApprovalCard } from '../components/approval-card.tsx';
import { ActionFeedback } from '../components/feedback.tsx';
import { NotificationOptIn } from '../components/notification-opt-in.tsx';
import { QueryView } from '../components/page-state.tsx';
import { useAction } from '../hooks/use-action.ts';
import { noApprovals, useApprovals } from '../hooks/use-approvals.ts';
import { useClient } from '../hooks/use-client.ts';
import { answerApproval } from '../lib/approval-answer.ts';

export function PopupPage() {
  const client = useClient();
  const approvals = useApprovals();
  const escape = useAction();
  const [index, setIndex] = useState(0);
  const list = approvals.data ?? [];
  const shown = Math.min(index, Math.max(list.length - 1, 0));
  const current = list[shown];
  const currentRef = useRef(current);
  currentRef.current = current;

  useEffect(() => {
    document.title = 'Approvals · Gatehouse';
  }, []);

  // Escape denies the approval on screen (never Enter: there is no default action).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || event.repeat) return;
      const approval = currentRef.current;
      if (!approval) return;
      event.preventDefault();
      void escape.run(
        () => answerApproval(client, approval, { kind: 'deny', always: false }),
        `Denied ${approval.tool}.`,
      );
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client, escape.run]);

  return (
    <main className="popup" aria-labelledby="popup-title">
      <header className="popup-head">
        <h1 id="popup-title">Approvals</h1>
        {list.length > 0 ? (
          <span className="muted" aria-live="polite">
            {shown + 1} of {list.length} waiting
          </span>
        ) : null}
      </header>
      <QueryView
        query={approvals}
        what="approvals"
        isEmpty={() => current === undefined}
        empty={<p>{noApprovals}</p>}
      >
        {() =>
          current && (
            <>
              <ApprovalCard key={current.id} approval={current} onAnswered={approvals.reload} />
              {list.length > 1 ? (
                <div className="pager">
                  <button type="button" disabled={shown === 0} onClick={() => setIndex(shown - 1)}>
                    Previous
                  </button>
                  <button
                    type="button"
                    disabled={shown >= list.length - 1}
                    onClick={() => setIndex(shown + 1)}
                  >
                    Next
                  </button>
                </div>
              ) : null}
              <p className="muted hint">Esc denies. Enter does nothing until you pick a button.</p>
            </>
          )
        }
      </QueryView>
      <ActionFeedback action={escape} />
      {client.host === 'browser' ? (
        <>
          <NotificationOptIn host={client.host} />
          <p>
            <a href="#/overview">Open Gatehouse</a>
          </p>
        </>
      ) : null}
    </main>
  );
}
