/** Why an upstream exchange failed; the relay turns each into a precise JSON-RPC error for the client. */
export type UpstreamFailure =
  | 'unreachable' // could not connect, or the connection broke before a response
  | 'timeout' // no answer (or progress) within upstream.timeoutSeconds
  | 'session-lost' // the upstream forgot our session (restart): re-initialize and retry once
  | 'needs-login' // 401: the server wants an OAuth login
  | 'http' // an HTTP error status with no usable JSON-RPC body
  | 'protocol' // the upstream broke the protocol (bad JSON, wrong content type, oversized message)
  | 'closed'; // the session was closed locally while waiting

export class UpstreamError extends Error {
  readonly failure: UpstreamFailure;
  readonly status: number | undefined;
  /** Raw `WWW-Authenticate` of a 401/403, for the OAuth layer. */
  readonly wwwAuthenticate: string | undefined;

  constructor(failure: UpstreamFailure, message: string, status?: number, wwwAuthenticate?: string) {
    super(message);
    this.failure = failure;
    this.status = status;
    this.wwwAuthenticate = wwwAuthenticate;
    this.name = 'UpstreamError';
  }
}

/** Describes a network error from undici/Node in a few words a person understands. */
export function describeNetworkError(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ?? e?.code;
  const message = e?.cause?.message ?? e?.message ?? String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused (${message})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found (${message})`;
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `connection reset (${message})`;
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `TLS certificate rejected (${code})`;
    default:
      return message;
  }
}
