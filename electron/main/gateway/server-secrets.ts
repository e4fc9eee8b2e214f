/** Secret-store key of one configured upstream header value. */
export function serverHeaderKey(server: string, header: string): string {
  return `server:${server}:header:${header.toLowerCase()}`;
}

/** Prefix of every secret that belongs to a server (removed with the server). */
export function serverSecretPrefix(server: string): string {
  return `server:${server}:`;
}
