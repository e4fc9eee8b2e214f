import net from 'node:net';

/** Whether a URL's host is this machine's loopback (where plain http cannot be sniffed). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) return host === '::1';
  return false;
}

/**
 * Checks an upstream URL: http(s) only; https unless the host is loopback or the person turned on the
 * named opt-in `allowInsecureHttp` (architecture.md convention 10); no credentials in the URL (they go
 * in a secret header instead); no fragment. Returns the normalized URL or a message.
 */
export function checkServerUrl(raw: string, allowInsecureHttp: boolean): { url: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: `"${raw}" is not a URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { error: `only http and https servers are supported, not ${url.protocol}` };
  }
  if (url.username || url.password) {
    return {
      error: 'do not put credentials in the URL; pass them with --header "Authorization: Bearer ..."',
    };
  }
  if (url.hash) return { error: 'the URL must not have a #fragment' };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !allowInsecureHttp) {
    return {
      error: `http://${url.host} is not encrypted; use https, or allow it explicitly with --allow-insecure-http`,
    };
  }
  return { url: url.toString() };
}
