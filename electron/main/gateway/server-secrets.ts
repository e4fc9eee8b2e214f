/** Secret-store key of one configured upstream header value. */
export function serverHeaderKey(server: string, header: string): string {
  return `server:${server}:header:${header.toLowerCase()}`;
}

/** Prefix of every secret that belongs to a server (removed with the server). */
export function serverSecretPrefix(server: string): string {
  return `server:${server}:`;
}

/** Secret-store key of the OAuth client secret the person entered for a server. */
export function serverClientSecretKey(server: string): string {
  return `server:${server}:oauth:client-secret`;
}
