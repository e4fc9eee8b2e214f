import { useState } from 'react';

/**
 * In a browser (`gatehouse serve`), ends this browser's session; the desktop app has none, so it shows
 * nothing there. Test hooks: region "This browser", button "Sign out".
 */
export function BrowserSignOut() {
  const [error, setError] = useState<string>();
  if (window.gatehouse) return null;
  return (
    <section className="card form" aria-label="This browser">
      <h2>This browser</h2>
      <p>
        This browser stays signed in until you sign out, after 12 idle hours, or when Gatehouse restarts. To
        sign in again, run <code>gatehouse ui</code> for a new link.
      </p>
      <button
        type="button"
        className="small"
        onClick={() => {
          setError(undefined);
          signOut().catch((failure: unknown) => setError((failure as Error).message));
        }}
      >
        Sign out
      </button>
      {error ? (
        <p className="note note-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

async function signOut(): Promise<void> {
  const res = await fetch('/app/logout', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) throw new Error(`Could not sign out (HTTP ${res.status}).`);
  location.assign('/app/');
}
