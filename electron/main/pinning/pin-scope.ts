/**
 * Where a session's pins live: the server, or the server seen with a capability profile (servers
 * offer some tools only to clients that declared sampling, elicitation, roots or tasks).
 */
export function pinScope(info: { serverName: string; profile?: string }): string {
  return info.profile ? `${info.serverName} [${info.profile}]` : info.serverName;
}

/** The server name of a pin scope. */
export function scopeServer(scope: string): string {
  const at = scope.indexOf(' [');
  return at === -1 ? scope : scope.slice(0, at);
}
