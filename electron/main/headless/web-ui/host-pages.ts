/**
 * The few pages the browser host serves itself, around the renderer: signing in with the one-time
 * link, "not signed in", and "the UI is not built". Static text only (nothing from the request is
 * ever written into them), scripts and styles in files of their own because the CSP forbids inline ones.
 */

/** Where the host's own files live under `/app` (apart from the renderer's `assets/`). */
export const HOST_PREFIX = '/app/_host/';

function page(title: string, body: string, script?: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} · Gatehouse</title>
    <link rel="stylesheet" href="${HOST_PREFIX}host.css" />
${script ? `    <script type="module" src="${HOST_PREFIX}${script}"></script>\n` : ''}  </head>
  <body>
    <main>
      <h1>Gatehouse</h1>
${body}
    </main>
  </body>
</html>
`;
}

/** `/app/login`: reads the secret from the fragment (never sent to the server) and POSTs it. */
export const LOGIN_PAGE = page(
  'Signing in',
  `      <p id="status" role="status" aria-live="polite">Signing in…</p>
      <noscript><p>This page needs JavaScript.</p></noscript>`,
  'login.js',
);

/** `/app/` without a session. */
export const SIGN_IN_NEEDED_PAGE = page(
  'Sign in',
  `      <h2>Sign in needed</h2>
      <p>Open the link printed by <code>gatehouse serve</code> in this browser. Each link works once.</p>
      <p>For a new link, run <code>gatehouse ui</code> (with the same <code>--data-dir</code>) on the machine where Gatehouse runs.</p>`,
);

/** `/app/` when out/renderer has not been built. */
export const NOT_BUILT_PAGE = page(
  'Not built',
  `      <h2>The web UI is not built</h2>
      <p>Run <code>npm run build:ui</code> in the Gatehouse folder, then reload this page.
      (<code>npm run serve</code> builds it for you.)</p>`,
);

/**
 * The login script. It drops the secret from the address bar at once (so it stays out of history and
 * of any screenshot), exchanges it for the session cookie, and goes to the app.
 */
export const LOGIN_SCRIPT = `const status = document.getElementById('status');
const secret = new URLSearchParams(location.hash.slice(1)).get('secret') ?? '';
history.replaceState(null, '', location.pathname);
const fail = (text) => {
  status.textContent = text;
  status.className = 'error';
};
if (!secret) {
  fail('This sign-in link has no secret. Open the link printed by gatehouse serve, or run gatehouse ui for a new one.');
} else {
  fetch('/app/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret }),
  })
    .then(async (res) => {
      if (res.ok) return location.replace('/app/');
      const body = await res.json().catch(() => ({}));
      fail(body.error ?? 'Sign-in failed (HTTP ' + res.status + ').');
    })
    .catch(() => fail('Gatehouse is not answering. Is gatehouse serve still running?'));
}
`;

export const HOST_CSS = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; display: grid; place-items: center; min-height: 100vh; }
main { max-width: 32rem; padding: 1.5rem; line-height: 1.5; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; }
code { font-family: ui-monospace, monospace; white-space: nowrap; padding: 0 0.2em; border-radius: 3px; background: rgb(127 127 127 / 0.18); }
.error { color: #c62828; }
@media (prefers-color-scheme: dark) { .error { color: #ff8a80; } }
`;
