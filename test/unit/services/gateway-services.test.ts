import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../electron/main/base/logger.ts';
import { createOfflineServices } from '../../../electron/main/services/create-core.ts';
import { ServiceError } from '../../../electron/main/services/gateway-services.ts';
import { preferencesSchema } from '../../../shared/schemas/settings.ts';

describe('GatewayServices (offline)', () => {
  let dir: string;
  let offline: ReturnType<typeof createOfflineServices>;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-services-'));
    offline = createOfflineServices({ dataDir: dir, logger: nullLogger });
  });
  afterEach(() => {
    offline.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function refusal(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a refusal');
  }

  function wroteNothing(): void {
    expect(fs.existsSync(path.join(dir, 'settings.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'secrets.json'))).toBe(false);
  }

  describe('servers.add header names', () => {
    it.each([
      ['Host', 'this header is set by Gatehouse itself'],
      ['host', 'this header is set by Gatehouse itself'],
      ['Content-Length', 'this header is set by Gatehouse itself'],
      ['Last-Event-ID', 'this header is set by Gatehouse itself'],
      ['X Key', 'not a valid HTTP header name'],
      ['X-Key:', 'not a valid HTTP header name'],
      ['', 'not a valid HTTP header name'],
      ['x'.repeat(129), 'not a valid HTTP header name'],
    ])('refuses %j with a ServiceError naming it', async (name, reason) => {
      const error = await refusal(
        offline.services['servers.add']({
          name: 'docs',
          url: 'https://example.com/mcp',
          headers: { [name]: 'value' },
          trusted: true,
          allowInsecureHttp: false,
        }),
      );
      expect(error).toBeInstanceOf(ServiceError);
      expect(error.message).toBe(`header "${name}": ${reason}`);
      expect(await offline.services['servers.list']()).toEqual([]);
      wroteNothing();
    });

    it('names the first bad header and checks names before the rest of the input', async () => {
      const error = await refusal(
        offline.services['servers.add']({
          // Both the server name and the URL would be refused too: the header names come first.
          name: 'Bad Name',
          url: 'ftp://example.com/mcp',
          headers: { 'X-Ok': 'a', 'Bad Header': 'b', Host: 'c' },
          trusted: true,
          allowInsecureHttp: false,
        }),
      );
      expect(error).toBeInstanceOf(ServiceError);
      expect(error.message).toBe('header "Bad Header": not a valid HTTP header name');
      wroteNothing();
    });

    it('accepts valid header names and stores their values as secrets', async () => {
      const view = await offline.services['servers.add']({
        name: 'docs',
        url: 'https://example.com/mcp',
        headers: { Authorization: 'Bearer x', "X-Odd_Name!#$%&'*+.^`|~": 'y' },
        trusted: true,
        allowInsecureHttp: false,
      });
      expect(view.headerNames).toEqual(['Authorization', "X-Odd_Name!#$%&'*+.^`|~"]);
      expect(fs.existsSync(path.join(dir, 'secrets.json'))).toBe(true);
    });
  });

  describe('settings', () => {
    it('gets the preference defaults', async () => {
      expect(await offline.services['settings.get']()).toEqual(preferencesSchema.parse({}));
    });

    it('sets a three-level preference key and nothing else', async () => {
      const before = await offline.services['settings.get']();
      const after = await offline.services['settings.set']({
        key: 'policy.defaults.destructive',
        value: 'deny',
      });
      expect(after).toEqual({
        ...before,
        policy: { defaults: { ...before.policy.defaults, destructive: 'deny' } },
      });
      expect(offline.settings.current.policy.defaults.destructive).toBe('deny');
    });

    it('refuses a value the schema does not allow, changing nothing', async () => {
      await expect(
        offline.services['settings.set']({ key: 'policy.defaults.unknown', value: 'hide' }),
      ).rejects.toThrow(/^policy\.defaults\.unknown: /);
      expect(await offline.services['settings.get']()).toEqual(preferencesSchema.parse({}));
      expect(fs.existsSync(path.join(dir, 'settings.json'))).toBe(false);
    });
  });
});
