import type { ServerResponse } from 'node:http';
import type { JsonRpcMessage, JsonRpcResponse } from '../base/json-rpc.ts';
import { writeJson } from './http-io.ts';
import { SseStream } from './sse-stream.ts';
import type { RequestSink } from './upstream/upstream-session.ts';

/**
 * The client-facing streams of one downstream session (`/mcp/<server>` or the aggregated `/mcp`):
 * each POST answered as JSON, or on its own SSE stream once something must stream, plus the
 * standalone GET stream; each resumable with Last-Event-ID (MCP transports §Resumability).
 */
export class DownstreamStreams {
  readonly #streams = new Map<string, SseStream>();
  #standalone: SseStream | undefined;

  private readonly priming: boolean;
  private readonly onAttachChange: (stream: SseStream, attached: boolean) => void;

  /** `priming`: streams start with an empty event (clients on 2025-11-25 or later can parse it). */
  constructor(priming: boolean, onAttachChange: (stream: SseStream, attached: boolean) => void) {
    this.priming = priming;
    this.onAttachChange = onAttachChange;
  }

  /** Whether a client is connected to any stream. */
  get hasAttached(): boolean {
    for (const stream of this.#streams.values()) if (stream.attached) return true;
    return false;
  }

  /** Whether the standalone stream exists (a GET opened it, or a message for it was queued). */
  get hasStandalone(): boolean {
    return this.#standalone !== undefined;
  }

  /**
   * Answers one POSTed request with what `run` produces: interim messages given to the sink switch
   * the answer to an SSE stream; the response then ends it. Without a response the answer is 202.
   */
  async respond(
    res: ServerResponse,
    run: (sink: RequestSink) => Promise<JsonRpcResponse | undefined>,
  ): Promise<void> {
    let stream: SseStream | undefined;
    const openStream = () => {
      if (stream) return stream;
      stream = this.#newStream(false);
      if (!res.writableEnded && !res.destroyed) stream.attach(res, undefined, this.priming);
      return stream;
    };
    const sink: RequestSink = { onStream: openStream, onMessage: (m) => openStream().send(m) };
    const response = await run(sink);
    const streamed = stream;
    if (streamed) {
      if (response) streamed.send(response);
      streamed.end();
      if (streamed.disposable) this.#streams.delete(streamed.id);
    } else if (!res.writableEnded && !res.destroyed) {
      if (response) writeJson(res, 200, response);
      else res.writeHead(202).end();
    }
  }

  /** Sends on the standalone stream, creating it (buffered until a GET attaches) if needed. */
  sendStandalone(message: JsonRpcMessage): void {
    this.#standalone ??= this.#newStream(true);
    this.#standalone.send(message);
  }

  /** Attaches a GET: resumes the stream named by Last-Event-ID, or (re)opens the standalone stream. */
  open(res: ServerResponse, resume: { stream: string; seq: number } | undefined): 'ok' | 'conflict' {
    const target = resume ? this.#streams.get(resume.stream) : undefined;
    if (target) {
      target.attach(res, resume!.seq, false);
      return 'ok';
    }
    if (this.#standalone?.attached) return 'conflict';
    this.#standalone ??= this.#newStream(true);
    this.#standalone.attach(res, undefined, this.priming);
    return 'ok';
  }

  /** Ends every stream (the session is over). */
  closeAll(): void {
    for (const stream of this.#streams.values()) {
      stream.end();
      stream.detach();
    }
    this.#streams.clear();
    this.#standalone = undefined;
  }

  #newStream(standalone: boolean): SseStream {
    const stream = new SseStream(standalone, this.onAttachChange);
    this.#streams.set(stream.id, stream);
    // Finished POST streams that were fully delivered are forgotten; keep the map small.
    if (this.#streams.size > 64) {
      for (const [id, s] of this.#streams) if (s.disposable) this.#streams.delete(id);
    }
    return stream;
  }
}
