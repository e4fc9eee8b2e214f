import { describe, expect, it } from 'vitest';
import {
  formatSseEvent,
  SSE_KEEPALIVE,
  SseParser,
  type SseEvent,
} from '../../../electron/main/gateway/sse.ts';

const encoder = new TextEncoder();

/** Feeds `chunks` (strings or bytes) to a fresh parser and returns the events it reported. */
function parse(chunks: (string | Uint8Array)[], maxEventBytes?: number): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((event) => events.push(event), maxEventBytes);
  for (const chunk of chunks) parser.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  return events;
}

/** The same stream as single bytes, the worst case for chunk boundaries. */
function byteByByte(text: string): Uint8Array[] {
  return [...encoder.encode(text)].map((byte) => Uint8Array.of(byte));
}

/** Every way of cutting `text` into two chunks. */
function everySplit(text: string): Uint8Array[][] {
  const bytes = encoder.encode(text);
  const out: Uint8Array[][] = [];
  for (let i = 0; i <= bytes.length; i++) out.push([bytes.slice(0, i), bytes.slice(i)]);
  return out;
}

describe('SseParser', () => {
  it('parses one event', () => {
    expect(parse(['data: hello\n\n'])).toEqual([{ event: 'message', data: 'hello' }]);
  });

  it('parses several events in one chunk', () => {
    expect(parse(['data: a\n\ndata: b\n\nevent: x\ndata: c\n\n'])).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
      { event: 'x', data: 'c' },
    ]);
  });

  it('does not report an event before its blank line', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((event) => events.push(event));
    parser.push(encoder.encode('data: a\n'));
    expect(events).toEqual([]);
    parser.push(encoder.encode('\n'));
    expect(events).toEqual([{ event: 'message', data: 'a' }]);
  });

  const stream =
    ': comment\n' +
    'event: message\nid: s1.1\ndata: {"jsonrpc":"2.0","id":1,"result":{"text":"héllo €uro 😀"}}\n\n' +
    'retry: 3000\n\n' +
    'data: line one\ndata: line two\n\n';
  const expected: SseEvent[] = [
    { event: 'message', id: 's1.1', data: '{"jsonrpc":"2.0","id":1,"result":{"text":"héllo €uro 😀"}}' },
    { event: 'message', data: '', retry: 3000 },
    { event: 'message', data: 'line one\nline two' },
  ];

  it('gives the same events whole, byte by byte, and split at every offset', () => {
    expect(parse([stream])).toEqual(expected);
    expect(parse(byteByByte(stream))).toEqual(expected);
    for (const chunks of everySplit(stream)) expect(parse(chunks)).toEqual(expected);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('accepts %s line endings, also byte by byte', (_label, eol) => {
    const text = ['id: 7', 'event: update', 'data: a', 'data: b', '', 'data: c', '', ''].join(eol);
    const want: SseEvent[] = [
      { event: 'update', id: '7', data: 'a\nb' },
      { event: 'message', data: 'c' },
    ];
    expect(parse([text])).toEqual(want);
    expect(parse(byteByByte(text))).toEqual(want);
    for (const chunks of everySplit(text)) expect(parse(chunks)).toEqual(want);
  });

  it('accepts CR line endings, also byte by byte and split at every offset', () => {
    const text = 'id: 7\revent: update\rdata: a\rdata: b\r\rdata: c\r\r';
    const want: SseEvent[] = [
      { event: 'update', id: '7', data: 'a\nb' },
      { event: 'message', data: 'c' },
    ];
    // No byte after the final CR is needed: a lone CR is a complete line ending.
    expect(parse([text])).toEqual(want);
    expect(parse(byteByByte(text))).toEqual(want);
    for (const chunks of everySplit(text)) expect(parse(chunks)).toEqual(want);
    // A later chunk does not repeat or change anything.
    expect(parse([text, ':\r'])).toEqual(want);
  });

  // Fixed: per WHATWG a CR alone is a complete line ending, so a CR that ends a chunk is not held back.
  it('dispatches an event ended by a CR blank line at the end of a chunk', () => {
    expect(parse(['data: last\r\r'])).toEqual([{ event: 'message', data: 'last' }]);
  });

  it('dispatches at once when the CR blank line arrives in a chunk of its own', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((event) => events.push(event));
    parser.push(encoder.encode('data: a\r'));
    expect(events).toEqual([]);
    parser.push(encoder.encode('\r'));
    expect(events).toEqual([{ event: 'message', data: 'a' }]);
  });

  it('skips an LF that starts the next chunk right after a CR: the two are one CRLF', () => {
    // Not two line endings: that would dispatch "a" early and then report nothing (or an empty event).
    expect(parse(['data: a\r', '\n\r\n'])).toEqual([{ event: 'message', data: 'a' }]);
    const events: SseEvent[] = [];
    const parser = new SseParser((event) => events.push(event));
    parser.push(encoder.encode('data: a\r'));
    parser.push(encoder.encode('\n'));
    expect(events).toEqual([]);
    parser.push(encoder.encode('data: b\r\n\r\n'));
    expect(events).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('skips only one LF after a CR that ended a chunk', () => {
    expect(parse(['data: a\r', '\n\n'])).toEqual([{ event: 'message', data: 'a' }]);
    expect(parse(['data: a\r', '\n', '\n'])).toEqual([{ event: 'message', data: 'a' }]);
    expect(parse(['data: a\r', '\n', '\n', '\n'])).toEqual([{ event: 'message', data: 'a' }]);
  });

  it('does not skip an LF that comes later than the chunk right after the CR', () => {
    // The CR ended "data: a"; "x" starts a new line, so the LF after it ends that line (an unknown
    // field, ignored) and the next LF is the blank line.
    expect(parse(['data: a\r', 'x', '\n\n'])).toEqual([{ event: 'message', data: 'a' }]);
    expect(parse(['data: a\r', 'data: b\n\n'])).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('treats an LF after a CR inside one chunk and across chunks the same', () => {
    const text = 'data: a\r\ndata: b\r\n\r\n';
    const want: SseEvent[] = [{ event: 'message', data: 'a\nb' }];
    for (const chunks of everySplit(text)) expect(parse(chunks)).toEqual(want);
    expect(parse(byteByByte(text))).toEqual(want);
  });

  // Transports may hand over empty reads between the CR and the LF of one CRLF.
  it('skips the LF of a CRLF split by an empty chunk', () => {
    expect(parse(['data: a\r', new Uint8Array(0), '\ndata: b\r\n\r\n'])).toEqual([
      { event: 'message', data: 'a\nb' },
    ]);
  });

  it('accepts mixed line endings', () => {
    expect(parse(['data: a\r\ndata: b\ndata: c\r\n\r\ndata: d\n\n'])).toEqual([
      { event: 'message', data: 'a\nb\nc' },
      { event: 'message', data: 'd' },
    ]);
  });

  it('treats CR CR as two line endings, not one', () => {
    expect(parse(['data: a\r\rdata: b\n\n'])).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
  });

  it('ignores comments, also between the fields of one event', () => {
    expect(parse([': hello\n:\n', SSE_KEEPALIVE, 'data: a\n: in between\ndata: b\n\n'])).toEqual([
      { event: 'message', data: 'a\nb' },
    ]);
  });

  it('reports no event for comments and blank lines alone', () => {
    expect(parse([SSE_KEEPALIVE, SSE_KEEPALIVE, '\n\n\n', 'event: ping\n\n'])).toEqual([]);
  });

  it('removes exactly one space after the colon', () => {
    expect(parse(['data:no-space\n\ndata:  two-spaces\n\ndata: \n\n'])).toEqual([
      { event: 'message', data: 'no-space' },
      { event: 'message', data: ' two-spaces' },
      { event: 'message', data: '' },
    ]);
  });

  it('keeps colons inside the value', () => {
    expect(parse(['data: a:b: c\n\n'])).toEqual([{ event: 'message', data: 'a:b: c' }]);
  });

  it('reads a field without a colon as the field with an empty value', () => {
    expect(parse(['data\ndata\n\n'])).toEqual([{ event: 'message', data: '\n' }]);
    expect(parse(['event\ndata: x\n\n'])).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('ignores unknown fields and field names in another case', () => {
    expect(parse(['foo: bar\nDATA: nope\nData: nope\ndata: yes\n\n'])).toEqual([
      { event: 'message', data: 'yes' },
    ]);
  });

  it('takes the last event and id field of an event', () => {
    expect(parse(['event: a\nevent: b\nid: 1\nid: 2\ndata: x\n\n'])).toEqual([
      { event: 'b', id: '2', data: 'x' },
    ]);
  });

  it('reports an id with the event that set it only', () => {
    expect(parse(['id: 1\ndata: a\n\ndata: b\n\n'])).toEqual([
      { event: 'message', id: '1', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
  });

  it('reports an event that only sets an id (a priming event) with empty data', () => {
    expect(parse(['id: abc.0\n\n'])).toEqual([{ event: 'message', id: 'abc.0', data: '' }]);
    expect(parse(['id:\n\n'])).toEqual([{ event: 'message', id: '', data: '' }]);
  });

  it('ignores an id containing NUL', () => {
    expect(parse(['id: a\0b\ndata: x\n\n'])).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('reads retry only when it is all digits', () => {
    expect(parse(['retry: 1500\ndata: x\n\n'])).toEqual([{ event: 'message', data: 'x', retry: 1500 }]);
    expect(parse(['retry: 0\n\n'])).toEqual([{ event: 'message', data: '', retry: 0 }]);
    for (const bad of ['1.5', '-1', 'abc', '', '1e3', '10 ']) {
      expect(parse([`retry: ${bad}\ndata: x\n\n`]), bad).toEqual([{ event: 'message', data: 'x' }]);
    }
  });

  it('resets the event type after each event', () => {
    expect(parse(['event: custom\ndata: a\n\ndata: b\n\n'])).toEqual([
      { event: 'custom', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
  });

  it('drops a trailing event that never got its blank line', () => {
    expect(parse(['data: a\n\ndata: b\n'])).toEqual([{ event: 'message', data: 'a' }]);
  });

  describe('byte order mark', () => {
    it('skips a leading BOM', () => {
      expect(parse(['\uFEFFdata: x\n\n'])).toEqual([{ event: 'message', data: 'x' }]);
    });

    it('skips a leading BOM fed byte by byte', () => {
      expect(parse(byteByByte('\uFEFFdata: x\n\n'))).toEqual([{ event: 'message', data: 'x' }]);
    });

    it('skips a leading BOM that arrives alone in the first chunk', () => {
      expect(parse(['\uFEFF', 'data: x\n\n'])).toEqual([{ event: 'message', data: 'x' }]);
    });

    it('keeps a BOM that is not at the start of the stream', () => {
      expect(parse(['data: a\n\n', 'data: \uFEFFb\n\n'])).toEqual([
        { event: 'message', data: 'a' },
        { event: 'message', data: '\uFEFFb' },
      ]);
    });
  });

  it('decodes UTF-8 split inside a character', () => {
    const text = 'data: 😀€é\n\n';
    for (const chunks of everySplit(text))
      expect(parse(chunks)).toEqual([{ event: 'message', data: '😀€é' }]);
  });

  describe('size limit', () => {
    it('accepts an event up to the limit', () => {
      expect(parse([`data: ${'a'.repeat(100)}\n\n`], 100)).toEqual([
        { event: 'message', data: 'a'.repeat(100) },
      ]);
    });

    it('throws for one data line over the limit', () => {
      expect(() => parse([`data: ${'a'.repeat(101)}\n\n`], 100)).toThrow(/SSE event larger than 100 bytes/);
    });

    it('throws when the data lines of one event add up to more than the limit', () => {
      const lines = Array.from({ length: 11 }, () => `data: ${'a'.repeat(10)}\n`).join('');
      expect(() => parse([lines + '\n'], 100)).toThrow(/larger than 100 bytes/);
    });

    it('throws for a line that never ends, before it is complete', () => {
      const events: SseEvent[] = [];
      const parser = new SseParser((event) => events.push(event), 100);
      parser.push(encoder.encode('data: ' + 'a'.repeat(50)));
      expect(() => parser.push(encoder.encode('a'.repeat(60)))).toThrow(/larger than 100 bytes/);
      expect(events).toEqual([]);
    });

    it('throws when fed the oversized event byte by byte', () => {
      expect(() => parse(byteByByte(`data: ${'a'.repeat(200)}\n\n`), 100)).toThrow(/larger than 100 bytes/);
    });

    it('counts each event on its own', () => {
      const events = parse(
        Array.from({ length: 20 }, (_, i) => `data: ${String(i).padStart(80, '0')}\n\n`),
        100,
      );
      expect(events).toHaveLength(20);
    });
  });
});

describe('formatSseEvent', () => {
  it('writes the fields in a fixed order', () => {
    expect(formatSseEvent('{"a":1}', 'abc.1', 'message', 1000)).toBe(
      'event: message\nid: abc.1\nretry: 1000\ndata: {"a":1}\n\n',
    );
    expect(formatSseEvent('x')).toBe('data: x\n\n');
    expect(formatSseEvent('', 'abc.0')).toBe('id: abc.0\ndata: \n\n');
  });

  it('splits multi-line data into data lines', () => {
    expect(formatSseEvent('a\nb\n')).toBe('data: a\ndata: b\ndata: \n\n');
  });

  it('has a keepalive that the parser ignores', () => {
    expect(SSE_KEEPALIVE).toBe(': keepalive\n\n');
    expect(parse([SSE_KEEPALIVE])).toEqual([]);
  });

  it.each<[string, string, string | undefined, string | undefined, number | undefined]>([
    ['plain JSON', '{"jsonrpc":"2.0","method":"ping"}', undefined, undefined, undefined],
    ['with id', '{"id":1}', 'AbCd_-12.42', undefined, undefined],
    ['with event and retry', 'x', 'id', 'custom', 2500],
    ['empty data (priming)', '', 'AbCd_-12.0', undefined, undefined],
    ['empty id', 'x', '', undefined, undefined],
    ['retry 0', 'x', undefined, undefined, 0],
    ['multi-line data', 'line 1\nline 2\n\nline 4', '9', undefined, undefined],
    ['data with colons and leading spaces', '  a: b', undefined, undefined, undefined],
    ['data that looks like a field', 'id: fake\nevent: fake', 'real', undefined, undefined],
    ['data that looks like a comment', ': not a comment', undefined, undefined, undefined],
    ['non-ASCII data', '{"t":"😀 €"}', undefined, undefined, undefined],
  ])('round-trips %s through the parser', (_label, data, id, event, retry) => {
    const frame = formatSseEvent(data, id, event, retry);
    const want: SseEvent = { event: event || 'message', data };
    if (id !== undefined) want.id = id;
    if (retry !== undefined) want.retry = retry;
    expect(parse([frame])).toEqual([want]);
    expect(parse(byteByByte(frame))).toEqual([want]);
  });

  it('round-trips a sequence of frames fed byte by byte', () => {
    const messages = Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({ jsonrpc: '2.0', id: i, result: {} }),
    );
    const text = messages.map((m, i) => formatSseEvent(m, `s.${i + 1}`)).join(SSE_KEEPALIVE);
    const events = parse(byteByByte(text));
    expect(events.map((e) => e.data)).toEqual(messages);
    expect(events.map((e) => e.id)).toEqual(messages.map((_, i) => `s.${i + 1}`));
  });
});
