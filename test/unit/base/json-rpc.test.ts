import { describe, expect, it } from 'vitest';
import {
  classifyMessage,
  errorResponse,
  ErrorCode,
  idKey,
  isNotification,
  isRequest,
  isResponse,
  type JsonRpcMessage,
} from '../../../electron/main/base/json-rpc.ts';

describe('classifyMessage', () => {
  it.each<[string, unknown]>([
    ['a request with a number id', { jsonrpc: '2.0', id: 1, method: 'tools/list' }],
    ['a request with id 0', { jsonrpc: '2.0', id: 0, method: 'ping' }],
    ['a request with a negative id', { jsonrpc: '2.0', id: -5, method: 'ping' }],
    [
      'a request with a string id',
      { jsonrpc: '2.0', id: 'abc', method: 'tools/call', params: { name: 'x' } },
    ],
    ['a request with an empty string id', { jsonrpc: '2.0', id: '', method: 'ping' }],
    ['a request with empty params', { jsonrpc: '2.0', id: 2, method: 'ping', params: {} }],
    ['a request with undefined params', { jsonrpc: '2.0', id: 2, method: 'ping', params: undefined }],
  ])('classifies %s as a request', (_label, value) => {
    const result = classifyMessage(value);
    expect(result).toEqual({ kind: 'request', message: value });
    if ('message' in result) {
      expect(result.message).toBe(value);
      expect(isRequest(result.message)).toBe(true);
      expect(isNotification(result.message)).toBe(false);
      expect(isResponse(result.message)).toBe(false);
    }
  });

  it.each<[string, unknown]>([
    ['a notification', { jsonrpc: '2.0', method: 'notifications/initialized' }],
    [
      'a notification with params',
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } },
    ],
  ])('classifies %s as a notification', (_label, value) => {
    const result = classifyMessage(value);
    expect(result).toEqual({ kind: 'notification', message: value });
    if ('message' in result) {
      expect(isNotification(result.message)).toBe(true);
      expect(isRequest(result.message)).toBe(false);
      expect(isResponse(result.message)).toBe(false);
    }
  });

  it.each<[string, unknown]>([
    ['a result', { jsonrpc: '2.0', id: 1, result: {} }],
    ['a result with a string id', { jsonrpc: '2.0', id: 'x', result: { tools: [] } }],
    ['an error', { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } }],
    ['an error with data', { jsonrpc: '2.0', id: 'a', error: { code: 1, message: '', data: [1, 2] } }],
    [
      'an error with a null id',
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } },
    ],
  ])('classifies %s as a response', (_label, value) => {
    const result = classifyMessage(value);
    expect(result).toEqual({ kind: 'response', message: value });
    if ('message' in result) {
      expect(isResponse(result.message)).toBe(true);
      expect(isRequest(result.message)).toBe(false);
      expect(isNotification(result.message)).toBe(false);
    }
  });

  it.each<[string, unknown, RegExp]>([
    ['a batch', [{ jsonrpc: '2.0', id: 1, method: 'ping' }], /batches are not supported/],
    ['an empty batch', [], /batches are not supported/],
    ['null', null, /not a JSON-RPC object/],
    ['undefined', undefined, /not a JSON-RPC object/],
    ['a string', '{"jsonrpc":"2.0"}', /not a JSON-RPC object/],
    ['a number', 42, /not a JSON-RPC object/],
    ['a boolean', true, /not a JSON-RPC object/],
    ['no jsonrpc', { id: 1, method: 'ping' }, /jsonrpc must be "2.0"/],
    ['jsonrpc 1.0', { jsonrpc: '1.0', id: 1, method: 'ping' }, /jsonrpc must be "2.0"/],
    ['jsonrpc as a number', { jsonrpc: 2.0, id: 1, method: 'ping' }, /jsonrpc must be "2.0"/],
    ['an empty object', {}, /jsonrpc must be "2.0"/],
    ['a fractional id', { jsonrpc: '2.0', id: 1.5, method: 'ping' }, /id must be a string or an integer/],
    ['a NaN id', { jsonrpc: '2.0', id: NaN, method: 'ping' }, /id must be a string or an integer/],
    ['an Infinity id', { jsonrpc: '2.0', id: Infinity, method: 'ping' }, /id must be a string or an integer/],
    ['an object id', { jsonrpc: '2.0', id: { a: 1 }, method: 'ping' }, /id must be a string or an integer/],
    ['an array id', { jsonrpc: '2.0', id: [1], method: 'ping' }, /id must be a string or an integer/],
    ['a boolean id', { jsonrpc: '2.0', id: true, method: 'ping' }, /id must be a string or an integer/],
    [
      'a null id on a request',
      { jsonrpc: '2.0', id: null, method: 'ping' },
      /id must be a string or an integer/,
    ],
    ['a null id on a result', { jsonrpc: '2.0', id: null, result: {} }, /id must be a string or an integer/],
    [
      'an undefined id',
      { jsonrpc: '2.0', id: undefined, method: 'ping' },
      /id must be a string or an integer/,
    ],
    ['a numeric method', { jsonrpc: '2.0', id: 1, method: 5 }, /method must be a string/],
    ['a null method', { jsonrpc: '2.0', id: 1, method: null }, /method must be a string/],
    ['array params', { jsonrpc: '2.0', id: 1, method: 'x', params: [1, 2] }, /params must be an object/],
    ['null params', { jsonrpc: '2.0', id: 1, method: 'x', params: null }, /params must be an object/],
    ['string params', { jsonrpc: '2.0', method: 'x', params: 'a' }, /params must be an object/],
    [
      'a request with a result',
      { jsonrpc: '2.0', id: 1, method: 'x', result: {} },
      /cannot be both a request and a response/,
    ],
    [
      'a notification with an error',
      { jsonrpc: '2.0', method: 'x', error: { code: 1, message: 'm' } },
      /cannot be both a request and a response/,
    ],
    ['a response without id', { jsonrpc: '2.0', result: {} }, /a response needs an id/],
    ['neither method nor result', { jsonrpc: '2.0', id: 1 }, /exactly one of result and error/],
    [
      'both result and error',
      { jsonrpc: '2.0', id: 1, result: {}, error: { code: 1, message: 'm' } },
      /exactly one of result and error/,
    ],
    ['a null result', { jsonrpc: '2.0', id: 1, result: null }, /result must be an object/],
    ['an array result', { jsonrpc: '2.0', id: 1, result: [] }, /result must be an object/],
    ['a string result', { jsonrpc: '2.0', id: 1, result: 'ok' }, /result must be an object/],
    ['a null error', { jsonrpc: '2.0', id: 1, error: null }, /numeric code and a message/],
    ['a string error', { jsonrpc: '2.0', id: 1, error: 'boom' }, /numeric code and a message/],
    [
      'an error without code',
      { jsonrpc: '2.0', id: 1, error: { message: 'm' } },
      /numeric code and a message/,
    ],
    [
      'an error with a string code',
      { jsonrpc: '2.0', id: 1, error: { code: '1', message: 'm' } },
      /numeric code and a message/,
    ],
    ['an error without message', { jsonrpc: '2.0', id: 1, error: { code: 1 } }, /numeric code and a message/],
  ])('refuses %s', (_label, value, reason) => {
    const result = classifyMessage(value);
    expect(result).not.toHaveProperty('kind');
    expect('error' in result && typeof result.error === 'string').toBe(true);
    expect((result as { error: string }).error).toMatch(reason);
  });

  it('classifies what JSON.parse gives for wire messages', () => {
    const wire = [
      ['{"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2025-11-25"}}', 'request'],
      ['{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}', 'notification'],
      ['{"jsonrpc":"2.0","id":7,"result":{"content":[]}}', 'response'],
    ] as const;
    for (const [text, kind] of wire) {
      expect(classifyMessage(JSON.parse(text))).toMatchObject({ kind });
    }
  });
});

describe('idKey', () => {
  it('distinguishes a number id from the same digits as a string', () => {
    expect(idKey(1)).not.toBe(idKey('1'));
    expect(idKey(0)).not.toBe(idKey('0'));
    expect(idKey(-1)).not.toBe(idKey('-1'));
  });

  it('is the same for equal ids', () => {
    expect(idKey(1)).toBe(idKey(1));
    expect(idKey('abc')).toBe(idKey('abc'));
    expect(idKey(JSON.parse('1') as number)).toBe(idKey(1));
  });

  it('distinguishes different ids, including strings that look like keys', () => {
    const ids = [1, 2, '1', '2', 'n:1', 's:1', '', 'a', -1, 10];
    const keys = new Set(ids.map(idKey));
    expect(keys.size).toBe(ids.length);
  });

  it('works as a Map key for matching responses to requests', () => {
    const pending = new Map<string, string>();
    pending.set(idKey(1), 'number one');
    pending.set(idKey('1'), 'string one');
    expect(pending.get(idKey(1))).toBe('number one');
    expect(pending.get(idKey('1'))).toBe('string one');
  });
});

describe('errorResponse', () => {
  it('builds an error response, with data only when given', () => {
    expect(errorResponse(1, ErrorCode.MethodNotFound, 'nope')).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32601, message: 'nope' },
    });
    const withData = errorResponse('x', ErrorCode.Refused, 'refused', { why: 'x' });
    expect(withData.error).toEqual({ code: -32000, message: 'refused', data: { why: 'x' } });
    expect(errorResponse(null, ErrorCode.ParseError, 'bad').id).toBeNull();
    expect('data' in errorResponse(1, 1, 'm').error).toBe(false);
  });

  it('is itself a valid response', () => {
    const message: JsonRpcMessage = errorResponse(null, ErrorCode.ParseError, 'Parse error');
    expect(classifyMessage(message)).toEqual({ kind: 'response', message });
  });

  it('uses the implementation range for Gatehouse codes', () => {
    for (const code of [
      ErrorCode.Refused,
      ErrorCode.SessionNotFound,
      ErrorCode.UpstreamUnavailable,
      ErrorCode.UpstreamTimeout,
      ErrorCode.UpstreamNeedsLogin,
    ]) {
      expect(code).toBeLessThanOrEqual(-32000);
      expect(code).toBeGreaterThanOrEqual(-32099);
    }
  });
});
