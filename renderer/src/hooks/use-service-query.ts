import { useCallback, useEffect, useRef, useState } from 'react';
import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import type { ServicesClient } from '../api/services-client.ts';

/** What a query shows: the last data, the last error, and whether a first answer has arrived. */
export interface QueryState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  /** Fetches again now (after an action whose event may not name this data). */
  reload: () => void;
}

/**
 * Runs `fetch` against the services and again whenever one of the `refetchOn` events arrives: main owns
 * the state, pages query and subscribe (architecture.md convention 9). Never polls. `fetch` should be
 * a module-level function (or memoised) so it is stable across renders; a new `fetch` refetches.
 */
export function useServiceQuery<T>(
  client: ServicesClient,
  fetch: (client: ServicesClient) => Promise<T>,
  refetchOn: readonly ServiceEvent['type'][],
): QueryState<T> {
  const [state, setState] = useState<Omit<QueryState<T>, 'reload'>>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const runRef = useRef<() => void>(() => undefined);
  const events = refetchOn.join(',');
  useEffect(() => {
    let latest = 0;
    let active = true;
    const run = () => {
      const request = ++latest;
      const current = () => active && request === latest;
      fetch(client).then(
        (data) => {
          if (current()) setState({ data, error: undefined, loading: false });
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          if (current()) setState((previous) => ({ ...previous, error: message, loading: false }));
        },
      );
    };
    runRef.current = run;
    setState((previous) => ({ ...previous, loading: true }));
    run();
    const wanted = new Set(events.split(','));
    const unsubscribe = client.onEvent((event) => {
      if (wanted.has(event.type)) run();
    });
    return () => {
      active = false;
      unsubscribe();
    };
  }, [client, fetch, events]);
  const reload = useCallback(() => runRef.current(), []);
  return { ...state, reload };
}
