/** Options for {@link buildCsp}. */
export interface CspOptions {
  /** The electron-vite dev server is in use (HMR needs inline styles and a websocket). */
  dev: boolean;
  /** Extra `connect-src` sources, e.g. the dev server's websocket origin. */
  connectSrc?: string[];
}

/**
 * Builds the Content-Security-Policy for the app's own pages. Why: a renderer that can be made to run
 * injected script could call every service the preload exposes, so scripts come from the app only and
 * `'unsafe-eval'` is never allowed, dev included (Electron security checklist §7, "Define a CSP").
 * Dev mode only adds what Vite's HMR needs: inline `<style>` tags and the dev server's websocket.
 */
export function buildCsp(options: CspOptions): string {
  const connect = ["'self'", ...(options.connectSrc ?? [])];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    // Dev only: @vitejs/plugin-react injects an inline React Refresh preamble into index.html.
    ['script-src', options.dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['style-src', options.dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', [...new Set(connect)]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['worker-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** Directives a `<meta http-equiv>` policy ignores (and browsers warn about): they need the header. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/** The same policy without the header-only directives, for the `<meta>` tag in index.html. */
export function cspForMeta(csp: string): string {
  return csp
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive && !HEADER_ONLY.has(directive.split(/\s+/)[0] ?? ''))
    .join('; ');
}
