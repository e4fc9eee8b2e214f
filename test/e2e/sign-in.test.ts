import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { runGatehouse } from '../integration/support/gatehouse-process.ts';
import { describeInChromium, launchChromium, POLL } from './support/chromium.ts';
import { ensureUiBuilt, isolateHome, startServeWithUi, type ServeWithUi } from './support/gatehouse-ui.ts';

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, POLL);

/**
 * Signing in to the browser UI of a real `gatehouse serve` in real Chromium, and what `/api` refuses:
 * a replayed link, no cookie, an MCP client token, a cross-origin request.
 */
describeInChromium('web UI sign-in in Chromium', { timeout: 60_000 }, () => {
  let dataDir: string;
  let serve: ServeWithUi;
  let browser: Browser;
  let signedIn: BrowserContext;
  let clientToken: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-e2e-signin-'));
    isolateHome(dataDir);
    const [, added] = await Promise.all([
      ensureUiBuilt(),
      runGatehouse(['client', 'add', 'agent', '--data-dir', dataDir]),
    ]);
    clientToken = /(ghc_[A-Za-z0-9_-]+)/.exec(added.stdout)![1]!;
    serve = await startServeWithUi(dataDir);
    browser = await launchChromium();
    signedIn = await browser.newContext({ viewport: { width: 1024, height: 700 } });
    signedIn.setDefaultTimeout(15_000);
    signedIn.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await serve?.stop('SIGTERM');
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in with the printed link, which leaves the address bar and works only once', async () => {
    const page = await signedIn.newPage();
    await page.goto(serve.loginUrl);
    await page.waitForURL(`${serve.url}/app/`);
    expect(page.url()).not.toContain('secret');
    await poll(() => page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
    const cookies = await signedIn.cookies(serve.url);
    expect(cookies).toEqual([
      expect.objectContaining({
        name: `gatehouse_session_${serve.port}`,
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
      }),
    ]);
    // The page cannot read its own session cookie.
    expect(await page.evaluate(() => document.cookie)).toBe('');

    const other = await browser.newContext();
    try {
      const replay = await other.newPage();
      await replay.goto(serve.loginUrl);
      await poll(() => replay.getByRole('status').textContent()).toContain('used already');
      expect(await other.cookies(serve.url)).toEqual([]);
      await replay.goto(`${serve.url}/app`);
      await poll(() => replay.getByRole('heading', { name: 'Sign in needed' }).isVisible()).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('serves the app with a strict CSP under which it runs without violations', async () => {
    const page = await signedIn.newPage();
    const response = await page.goto(`${serve.url}/app#/servers`);
    expect(page.url()).toBe(`${serve.url}/app/#/servers`);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self';");
    expect(headers['content-security-policy']).not.toContain('unsafe');
    expect(headers['x-frame-options']).toBe('DENY');
    await poll(() => page.getByRole('heading', { name: 'Servers', level: 1 }).isVisible()).toBe(true);
    await page.close();
    expect(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
  });

  it('refuses /api without a session (401) and with an MCP client token (403)', async () => {
    const anonymous = await browser.newContext();
    try {
      const res = await anonymous.request.post(`${serve.url}/api/servers.list`, {
        headers: { origin: serve.url },
        data: {},
      });
      expect(res.status()).toBe(401);
    } finally {
      await anonymous.close();
    }
    const withClientToken = await fetch(`${serve.url}/api/servers.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${clientToken}` },
      body: '{}',
    });
    expect(withClientToken.status).toBe(403);
  });

  it('refuses signed-in requests from another origin or without Origin (403)', async () => {
    const addRule = { data: { input: { action: 'deny', tool: '*', args: [] } } };
    const foreign = await signedIn.request.post(`${serve.url}/api/policy.add`, {
      ...addRule,
      headers: { origin: 'http://127.0.0.1:1' },
    });
    expect(foreign.status()).toBe(403);
    const noOrigin = await signedIn.request.post(`${serve.url}/api/policy.add`, addRule);
    expect(noOrigin.status()).toBe(403);
    const own = await signedIn.request.post(`${serve.url}/api/policy.list`, {
      headers: { origin: serve.url },
      data: {},
    });
    expect(own.status()).toBe(200);

    // A real page on another local port, in the signed-in browser, trying to add a rule.
    const attacker = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><script>
        const body = JSON.stringify({ input: { action: 'deny', tool: '*', args: [] } });
        Promise.allSettled([
          fetch('${serve.url}/api/policy.add', { method: 'POST', credentials: 'include', mode: 'no-cors',
            headers: { 'content-type': 'text/plain' }, body }),
          fetch('${serve.url}/api/policy.add', { method: 'POST', credentials: 'include',
            headers: { 'content-type': 'application/json' }, body }),
        ]).then(() => { document.title = 'done'; });
      </script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      const page = await signedIn.newPage();
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => document.title === 'done');
      await page.close();
    } finally {
      attacker.closeAllConnections();
      await new Promise((resolve) => attacker.close(resolve));
    }
    expect(await serve.admin('policy.list')).toEqual([]);
  });

  it('`gatehouse ui` prints a new link that signs in another browser, which can sign out', async () => {
    const printed = await runGatehouse(['ui', '--data-dir', dataDir]);
    expect(printed.code).toBe(0);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/app\/login#secret=[A-Za-z0-9_-]+)/.exec(printed.stdout)![1]!;
    const fresh = await browser.newContext();
    try {
      const page = await fresh.newPage();
      await page.goto(link);
      await page.waitForURL(`${serve.url}/app/`);
      await poll(() => page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);

      // Signing out from the Settings page ends that browser's session, and only that one.
      await page.goto(`${serve.url}/app/#/settings`);
      await page
        .getByRole('region', { name: 'This browser' })
        .getByRole('button', { name: 'Sign out' })
        .click();
      await poll(() => page.getByRole('heading', { name: 'Sign in needed' }).isVisible()).toBe(true);
      expect(await fresh.cookies(serve.url)).toEqual([]);
      const after = await fresh.request.post(`${serve.url}/api/status.get`, {
        headers: { origin: serve.url },
        data: {},
      });
      expect(after.status()).toBe(401);
      const stillIn = await signedIn.request.post(`${serve.url}/api/status.get`, {
        headers: { origin: serve.url },
        data: {},
      });
      expect(stillIn.status()).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});
