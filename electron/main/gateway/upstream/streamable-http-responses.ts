import {
  idKey,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from '../../base/json-rpc.ts';
import { SseParser } from '../sse.ts';
import { excerpt, headerValue, readBodyText, type ResponseBody } from './http-client.ts';
import { UpstreamError } from './upstream-error.ts';
import type { RequestSink } from './upstream-session.ts';

/** What one SSE body gave: the response (if it came) and where to resume from. */
export interface StreamOutcome {
  response?: JsonRpcResponse;
  lastEventId?: string;
  retry?: number;
}

/** Reads one SSE body; resolves as soon as the response for `id` is seen (the rest drains quietly). */
export function readSseStream(
  body: ResponseBody,
  id: JsonRpcRequest['id'] | undefined,
  sink: RequestSink,
  options: { maxMessageBytes: number; onBadEvent(): void },
): Promise<StreamOutcome> {
  return new Promise<StreamOutcome>((resolve, reject) => {
    const outcome: StreamOutcome = {};
    const want = id === undefined ? undefined : idKey(id);
    let settled = false;
    const parser = new SseParser((event) => {
      if (event.id !== undefined) outcome.lastEventId = event.id;
      if (event.retry !== undefined) outcome.retry = event.retry;
      if (event.event !== 'message' || event.data === '') return;
      let message: JsonRpcMessage;
      try {
        message = JSON.parse(event.data) as JsonRpcMessage;
      } catch {
        options.onBadEvent();
        return;
      }
      if (want !== undefined && isResponse(message) && message.id !== null && idKey(message.id) === want) {
        outcome.response = message;
        if (!settled) {
          settled = true;
          resolve(outcome);
        }
        return;
      }
      if (!settled) sink.onMessage(message);
    }, options.maxMessageBytes);
    body.on('data', (chunk: Buffer) => {
      try {
        parser.push(chunk);
      } catch (error) {
        body.destroy();
        if (!settled) {
          settled = true;
          reject(new UpstreamError('protocol', (error as Error).message));
        }
      }
    });
    body.on('end', () => {
      if (!settled) {
        settled = true;
        resolve(outcome);
      }
    });
    body.on('error', () => {
      // A dropped connection is not an error by itself: the caller resumes with Last-Event-ID.
      if (!settled) {
        settled = true;
        resolve(outcome);
      }
    });
  });
}

/** Parses a JSON response body; a response with another or no id gets the request's id. */
export function parseJsonResponse(text: string, id: JsonRpcRequest['id']): JsonRpcResponse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UpstreamError('protocol', `the upstream sent invalid JSON: ${excerpt(text, 80)}`);
  }
  const message = value as JsonRpcResponse;
  if (!message || typeof message !== 'object' || Array.isArray(message) || isResponse(message) === false) {
    throw new UpstreamError('protocol', 'the upstream sent JSON that is not a JSON-RPC response');
  }
  if (message.id === null || idKey(message.id) !== idKey(id)) {
    return { ...message, id };
  }
  return message;
}

/**
 * What an HTTP error status means: a lost session (404, or 400 naming the session, after a restart —
 * server-everything answers 400), a login needed (401), or a plain HTTP failure with its message.
 */
export async function classifyHttpError(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: ResponseBody,
  sentSession: string | undefined,
): Promise<UpstreamError> {
  let text = '';
  try {
    text = await readBodyText(body, 64 * 1024);
  } catch {
    // keep the status alone
  }
  const detail = jsonRpcErrorMessage(text) ?? excerpt(text);
  if (sentSession && (status === 404 || (status === 400 && /session/i.test(text)))) {
    return new UpstreamError('session-lost', `upstream session expired (HTTP ${status})`, status);
  }
  if (status === 401) {
    return new UpstreamError(
      'needs-login',
      'the server requires a login',
      status,
      headerValue(headers, 'www-authenticate'),
    );
  }
  return new UpstreamError(
    'http',
    `HTTP ${status}${detail ? `: ${detail}` : ''}`,
    status,
    headerValue(headers, 'www-authenticate'),
  );
}

function jsonRpcErrorMessage(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof value?.error?.message === 'string' ? value.error.message : undefined;
  } catch {
    return undefined;
  }
}

/** Waits `ms`, or rejects when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new UpstreamError('closed', 'the request was aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref();
    const onAbort = () => {
      clearTimeout(timer);
      reject(new UpstreamError('closed', 'the request was aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
