import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ActionState } from '../hooks/use-action.ts';

/**
 * What a button runs through an ActionState: `run` (its error, or `done` on success, shows in the
 * action's ActionFeedback), then `onDone` after a success (e.g. reload the list).
 */
export interface ActionProps {
  action: ActionState;
  run: () => Promise<unknown>;
  done?: string;
  onDone?: () => void;
}

function runAction(props: ActionProps): void {
  void props.action.run(props.run, props.done).then((ok) => {
    if (ok) props.onDone?.();
  });
}

/** A button that runs an action; disabled while the action is busy (and when `disabled`). */
export function ActionButton(
  props: ActionProps & {
    className?: string;
    disabled?: boolean;
    'aria-label'?: string;
    children: ReactNode;
  },
) {
  return (
    <button
      type="button"
      className={props.className}
      aria-label={props['aria-label']}
      disabled={props.action.busy || props.disabled}
      onClick={() => runAction(props)}
    >
      {props.children}
    </button>
  );
}

/** Copies `text` to the clipboard; says "Copied" for a moment. */
export function CopyButton(props: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);
  const label = props.label ?? 'Copy';
  return (
    <button
      type="button"
      className="small"
      onClick={() => {
        navigator.clipboard.writeText(props.text).then(
          () => setState('copied'),
          () => setState('failed'),
        );
      }}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text' : label}
    </button>
  );
}

/**
 * A destructive action that asks first: the first click shows "Confirm" and "Cancel" in its place
 * (Escape cancels); "Confirm" runs the action. `label` is the accessible name of the first button,
 * e.g. "Remove github"; it is disabled while the action is busy.
 */
export function ConfirmButton(
  props: ActionProps & {
    label: string;
    confirmLabel?: string;
    question: string;
    className?: string;
    children?: ReactNode;
  },
) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const firstRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) firstRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking)
    return (
      <button
        ref={firstRef}
        type="button"
        className={props.className ?? 'small danger'}
        aria-label={props.label}
        disabled={props.action.busy}
        onClick={() => setAsking(true)}
      >
        {props.children ?? props.label}
      </button>
    );
  return (
    <span
      className="confirm"
      role="group"
      aria-label={props.question}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          setAsking(false);
        }
      }}
    >
      <span className="confirm-question">{props.question}</span>
      <button
        ref={confirmRef}
        type="button"
        className="small danger"
        onClick={() => {
          setAsking(false);
          runAction(props);
        }}
      >
        {props.confirmLabel ?? 'Confirm'}
      </button>
      <button type="button" className="small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
