import type { ReactNode } from 'react';
import type { QueryState } from '../hooks/use-service-query.ts';

/** A polite "Loading…" line (role=status so screen readers hear it). */
export function Loading(props: { what?: string }) {
  return (
    <p className="muted" role="status">
      Loading{props.what ? ` ${props.what}` : ''}…
    </p>
  );
}

/** An error line with an optional retry button. Text only. */
export function ErrorNote(props: { message: string; onRetry?: () => void; prefix?: string }) {
  return (
    <div className="note note-error" role="alert">
      <span>
        {props.prefix ? `${props.prefix}: ` : ''}
        {props.message}
      </span>
      {props.onRetry ? (
        <button type="button" className="small" onClick={props.onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** What a page shows when it has nothing to list. */
export function Empty(props: { children: ReactNode }) {
  return <div className="empty">{props.children}</div>;
}

/**
 * The three states every list has: loading, error and empty, then the content. An error after data
 * already arrived is shown above the (stale) data rather than replacing it.
 */
export function QueryView<T>(props: {
  query: QueryState<T>;
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  if (query.data === undefined) {
    if (query.error)
      return (
        <ErrorNote prefix={`Could not load ${props.what}`} message={query.error} onRetry={query.reload} />
      );
    return <Loading what={props.what} />;
  }
  return (
    <>
      {query.error ? (
        <ErrorNote prefix={`Could not refresh ${props.what}`} message={query.error} onRetry={query.reload} />
      ) : null}
      {props.isEmpty?.(query.data) && props.empty ? <Empty>{props.empty}</Empty> : props.children(query.data)}
    </>
  );
}
