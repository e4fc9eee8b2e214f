import { useEffect } from 'react';
import type { ServicesClient } from '../api/services-client.ts';

/**
 * Applies Settings → theme: `data-theme="light|dark"` on <html> overrides the system's
 * prefers-color-scheme (CSS does the rest); `system` removes it. Refetches on settings-changed. A
 * window whose preload does not offer settings (the approval popup) just follows the system.
 */
export function useTheme(client: ServicesClient): void {
  useEffect(() => {
    let active = true;
    const apply = () => {
      client.call('settings.get').then(
        (prefs) => {
          if (!active) return;
          const theme = prefs.app.theme;
          if (theme === 'system') delete document.documentElement.dataset.theme;
          else document.documentElement.dataset.theme = theme;
        },
        () => undefined,
      );
    };
    apply();
    const unsubscribe = client.onEvent((event) => {
      if (event.type === 'settings-changed') apply();
    });
    return () => {
      active = false;
      unsubscribe();
    };
  }, [client]);
}
