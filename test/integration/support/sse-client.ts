import http from 'node:http';
import { SseParser, type SseEvent } from '../../../electron/main/gateway/sse.ts';

/** A raw SSE exchange: events as they arrive, and a way to drop the connection mid-stream. */
export interface SseExchange {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: SseEvent[];
  /** Resolves once `count` events (comments excluded) have arrived. */
  waitForEvents(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Drops the connection, as a client that lost its network would. */
  drop(): void;
}

export function openSse(
  port: number,
  options: { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string },
): Promise<SseExchange> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: options.method, path: options.path, headers: options.headers },
      (res) => {
        const events: SseEvent[] = [];
        const waiters: (() => void)[] = [];
        const parser = new SseParser((event) => {
          events.push(event);
          for (const w of waiters.splice(0)) w();
        });
        res.on('data', (chunk: Buffer) => parser.push(chunk));
        const ended = new Promise<void>((r) => {
          res.on('end', () => r());
          res.on('close', () => r());
        });
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          events,
          ended,
          drop: () => req.destroy(),
          waitForEvents: (count, timeoutMs = 5_000) =>
            new Promise((ok, fail) => {
              const timer = setTimeout(
                () => fail(new Error(`only ${events.length} of ${count} events arrived`)),
                timeoutMs,
              );
              const check = () => {
                if (events.length >= count) {
                  clearTimeout(timer);
                  ok(events);
                } else waiters.push(check);
              };
              check();
            }),
        });
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}
