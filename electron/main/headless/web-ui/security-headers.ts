import { buildCsp } from '../../windows/csp.ts';

/**
 * Headers on every page and file of the browser UI. The CSP is the desktop's own policy from
 * buildCsp (no inline script, no eval, `connect-src 'self'` so only this gateway's `/api` is reachable,
 * `frame-ancestors 'none'`); the rest keep the page from being framed, sniffed or leaking its address.
 */
export function pageSecurityHeaders(): Record<string, string> {
  return {
    'content-security-policy': buildCsp({ dev: false }),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), payment=()',
  };
}
