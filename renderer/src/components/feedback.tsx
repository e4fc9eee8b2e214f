import type { ActionState } from '../hooks/use-action.ts';

/** The outcome of an action: its error (alert) or a short confirmation (status). */
export function ActionFeedback(props: { action: Pick<ActionState, 'error' | 'done'> }) {
  const { error, done } = props.action;
  if (error)
    return (
      <p className="note note-error" role="alert">
        {error}
      </p>
    );
  if (done)
    return (
      <p className="note note-ok" role="status">
        {done}
      </p>
    );
  return null;
}
