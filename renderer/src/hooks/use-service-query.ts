import { useEffect, useState } from 'react';
import type { ServiceEvent } from '../../../shared/ipc/events.ts';
import type { ServicesClient } from '../api/services-client.ts';

/** What a query shows: the last data, the last error, and whether a first answer has arrived. */
export interface QueryState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
}

/**
 * Runs `fetch` against the services and again whenever one of the `refetchOn` events arrives: main owns
 * the state, pages query and subscribe (architecture.md convention 9). Never polls. `fetch` should be
 * a module-level function so it is stable across renders.
 */
export function useServiceQuery<T>(
  client: ServicesClient,
  fetch: (client: ServicesClient) => Promise<T>,
  refetchOn: readonly ServiceEvent['type'][],
): QueryState<T> {
  const [state, setState] = useState<QueryState<T>>({ data: undefined, error: undefined, loading: true });
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
  return state;
}
