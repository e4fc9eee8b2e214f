import { useEffect, useState } from 'react';
import { parseRoute, type Route } from '../lib/routes.ts';

/** The route named by `location.hash` (`#/servers`, `#/popup`), following hash changes. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
