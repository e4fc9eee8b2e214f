import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../../electron/main/base/logger.ts';
import { AdminApi } from '../../electron/main/headless/admin-api.ts';
import { WebSessions } from '../../electron/main/headless/web-ui/web-sessions.ts';
import { WebUi } from '../../electron/main/headless/web-ui/web-ui-route.ts';
import { startGateway, type GatewayHarness } from './support/gateway-harness.ts';
import { rawRequest, type RawResponse } from './support/raw-http.ts';
import { openSse } from './support/sse-client.ts';

const ADMIN = 'gha_integration-admin-token-0123456789';

/**
 * The browser host of the UI on a real gateway (as `gatehouse serve` mounts it), over raw HTTP:
 * static files, sign-in with the one-time secret, who may call /api, Origin checks, headers, events.
 */
describe('web UI host', () => {
  let gw: GatewayHarness;
  let webUi: WebUi;
  let rendererDir: string;
  let outside: string;
  let clientToken: string;
  let host: string;
  let origin: string;

  beforeAll(async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-webui-'));
    rendererDir = path.join(root, 'renderer');
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(
      path.join(rendererDir, 'index.html'),
      '<!doctype html><title>app</title><script type="module" src="./assets/index-Ab12Cd34.js"></script>',
    );
    fs.writeFileSync(path.join(rendererDir, 'assets/index-Ab12Cd34.js'), 'console.log("app");');
    fs.writeFileSync(path.join(rendererDir, 'assets/style-Xy98Zw76.css'), 'body{}');
    fs.writeFileSync(path.join(rendererDir, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    fs.writeFileSync(path.join(rendererDir, '.env'), 'SECRET=1');
    outside = path.join(root, 'secret.txt');
    fs.writeFileSync(outside, 'outside the renderer');
    fs.symlinkSync(outside, path.join(rendererDir, 'assets/link.txt'));

    gw = await startGateway({ level: 'error' });
    const sessions = new WebSessions();
    webUi = new WebUi({
      events: gw.core.services.onDidChange,
      sessions,
      adminToken: ADMIN,
      logger: nullLogger,
      rendererDir,
    });
    gw.core.gateway.addRoute(webUi);
    gw.core.gateway.addRoute(
      new AdminApi({ services: gw.core.services, token: ADMIN, logger: nullLogger, sessions }),
    );
    clientToken = await gw.addClient('agent');
    host = `127.0.0.1:${gw.port}`;
    origin = `http://${host}`;
  });
  afterAll(async () => {
    webUi?.close();
    await gw?.stop();
  });

  const get = (p: string, headers: Record<string, string> = {}) =>
    rawRequest(gw.port, { method: 'GET', path: p, headers: { host, ...headers } });
  const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
    rawRequest(gw.port, {
      method: 'POST',
      path: p,
      headers: { host, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  /** Signs in with a fresh secret and returns the Cookie header value. */
  async function signIn(): Promise<string> {
    const secret = new URL(webUi.newLoginUrl(origin)).hash.replace('#secret=', '');
    const res = await post('/app/login', { secret }, { origin });
    expect(res.status).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0]!;
  }

  function expectPageHeaders(res: RawResponse): void {
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  }

  describe('pages and files', () => {
    it('redirects /app to /app/ so relative asset paths resolve under /app', async () => {
      const res = await get('/app');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/app/');
    });

    it('shows how to sign in, not the app, without a session', async () => {
      const res = await get('/app/');
      expect(res.status).toBe(200);
      expect(res.body).toContain('Sign in needed');
      expect(res.body).toContain('gatehouse ui');
      expect(res.body).not.toContain('index-Ab12Cd34.js');
      expect(res.headers['cache-control']).toBe('no-store');
      expectPageHeaders(res);
    });

    it('serves the renderer to a signed-in browser with a strict CSP', async () => {
      const res = await get('/app/', { cookie: await signIn() });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('./assets/index-Ab12Cd34.js');
      expect(res.headers['cache-control']).toBe('no-store');
      expectPageHeaders(res);
    });

    it.each([
      ['/app/assets/index-Ab12Cd34.js', 'text/javascript; charset=utf-8', 'immutable'],
      ['/app/assets/style-Xy98Zw76.css', 'text/css; charset=utf-8', 'immutable'],
      ['/app/icon.svg', 'image/svg+xml', 'no-cache'],
      ['/app/_host/login.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ])('serves %s as %s', async (p, type, caching) => {
      const res = await get(p);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(String(res.headers['cache-control'])).toContain(caching);
      expectPageHeaders(res);
    });

    it.each([
      '/app/../package.json',
      '/app/..%2f..%2fsecret.txt',
      '/app/%2e%2e/secret.txt',
      '/app/assets/..%2f..%2fsecret.txt',
      '/app/assets%5c..%5c..%5csecret.txt',
      '/app/.env',
      '/app/assets/link.txt',
      '/app/assets/',
      '/app/assets',
      '/app/%00',
      '/app/%zz',
      '/app/nothing.js',
      '/app/%69ndex.html',
    ])('refuses %s', async (p) => {
      const res = await get(p);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('outside the renderer');
      expect(res.body).not.toContain('SECRET');
    });

    it('answers HEAD without a body and refuses other methods on files', async () => {
      const head = await rawRequest(gw.port, {
        method: 'HEAD',
        path: '/app/assets/index-Ab12Cd34.js',
        headers: { host },
      });
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
      expect((await post('/app/assets/index-Ab12Cd34.js', {}, { origin })).status).toBe(405);
    });

    it('applies the gateway Host guard to the UI (DNS rebinding)', async () => {
      const res = await rawRequest(gw.port, {
        method: 'GET',
        path: '/app/',
        headers: { host: 'attacker.example:80' },
      });
      expect(res.status).toBe(403);
    });
  });

  describe('sign-in', () => {
    it('sets an HttpOnly SameSite=Strict cookie once, and refuses the same secret again', async () => {
      const secret = new URL(webUi.newLoginUrl(origin)).hash.replace('#secret=', '');
      const first = await post('/app/login', { secret }, { origin });
      expect(first.status).toBe(200);
      const cookie = String(first.headers['set-cookie']);
      expect(cookie).toMatch(new RegExp(`^gatehouse_session_${gw.port}=[A-Za-z0-9_-]{43}; `));
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).toContain('Path=/');
      expect(cookie).not.toContain(secret);
      const replay = await post('/app/login', { secret }, { origin });
      expect(replay.status).toBe(403);
      expect(replay.headers['set-cookie']).toBeUndefined();
    });

    it('a new link invalidates an unused older one', async () => {
      const older = new URL(webUi.newLoginUrl(origin)).hash.replace('#secret=', '');
      const newer = new URL(webUi.newLoginUrl(origin)).hash.replace('#secret=', '');
      expect((await post('/app/login', { secret: older }, { origin })).status).toBe(403);
      expect((await post('/app/login', { secret: newer }, { origin })).status).toBe(200);
    });

    it('refuses a sign-in without Origin, from another origin, or with a wrong secret', async () => {
      const secret = new URL(webUi.newLoginUrl(origin)).hash.replace('#secret=', '');
      expect((await post('/app/login', { secret })).status).toBe(403);
      expect((await post('/app/login', { secret }, { origin: 'http://evil.example' })).status).toBe(403);
      expect((await post('/app/login', { secret: 'x'.repeat(43) }, { origin })).status).toBe(403);
      expect((await post('/app/login', { secret: 42 }, { origin })).status).toBe(403);
      // None of the refusals used it up.
      expect((await post('/app/login', { secret }, { origin })).status).toBe(200);
    });

    it('serves the login page, whose script reads the secret from the fragment', async () => {
      const page = await get('/app/login');
      expect(page.status).toBe(200);
      expect(page.body).toContain('/app/_host/login.js');
      expect(page.body).not.toMatch(/<script>/);
      const script = await get('/app/_host/login.js');
      expect(script.body).toContain('location.hash');
      expect(script.body).toContain('history.replaceState');
    });

    it('signs out: the cookie stops working', async () => {
      const cookie = await signIn();
      expect((await post('/api/status.get', {}, { cookie, origin })).status).toBe(200);
      const out = await post('/app/logout', {}, { cookie, origin });
      expect(out.status).toBe(200);
      expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
      expect((await post('/api/status.get', {}, { cookie, origin })).status).toBe(401);
    });
  });

  describe('/api access', () => {
    it('refuses a request with neither the admin token nor a session (401)', async () => {
      const res = await post('/api/servers.list', {});
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ ok: false });
    });

    it('refuses an MCP client token (403), even next to a valid session cookie', async () => {
      const cookie = await signIn();
      expect((await post('/api/servers.list', {}, { authorization: `Bearer ${clientToken}` })).status).toBe(
        403,
      );
      const both = await post(
        '/api/servers.list',
        {},
        { authorization: `Bearer ${clientToken}`, cookie, origin },
      );
      expect(both.status).toBe(403);
    });

    it('still accepts the admin token of the command line, without Origin', async () => {
      const res = await post('/api/servers.list', {}, { authorization: `Bearer ${ADMIN}` });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ ok: true, result: [] });
      expect((await post('/api/servers.list', {}, { authorization: 'Bearer gha_wrong' })).status).toBe(401);
    });

    it('accepts the session cookie with the gateway own Origin, 127.0.0.1 or localhost', async () => {
      const cookie = await signIn();
      for (const o of [origin, `http://localhost:${gw.port}`]) {
        const res = await post('/api/clients.list', {}, { cookie, origin: o });
        expect(res.status).toBe(200);
        expect(res.json()).toMatchObject({ ok: true, result: [{ name: 'agent' }] });
      }
    });

    it('refuses a cookie-signed POST without Origin, or from another origin (403)', async () => {
      const cookie = await signIn();
      const none = await post('/api/policy.add', { input: { action: 'deny', args: [] } }, { cookie });
      expect(none.status).toBe(403);
      for (const o of ['http://evil.example', `http://127.0.0.1:${gw.port + 1}`, 'null']) {
        const res = await post(
          '/api/policy.add',
          { input: { action: 'deny', args: [] } },
          { cookie, origin: o },
        );
        expect(res.status).toBe(403);
      }
      const cross = await post(
        '/api/policy.add',
        { input: { action: 'deny', args: [] } },
        {
          cookie,
          origin,
          'sec-fetch-site': 'cross-site',
        },
      );
      expect(cross.status).toBe(403);
      expect(await gw.core.services['policy.list']()).toEqual([]);
    });

    it('refuses a forged or unknown session cookie', async () => {
      const forged = `gatehouse_session_${gw.port}=${'A'.repeat(43)}`;
      expect((await post('/api/servers.list', {}, { cookie: forged, origin })).status).toBe(401);
      // A cookie for another port's Gatehouse is not ours.
      const cookie = (await signIn()).replace(`_${gw.port}=`, `_${gw.port + 1}=`);
      expect((await post('/api/servers.list', {}, { cookie, origin })).status).toBe(401);
    });

    it('answers a signed-in call with the contract result, and a bad input with 400', async () => {
      const cookie = await signIn();
      const ok = await post(
        '/api/settings.set',
        { input: { key: 'approvals.timeoutSeconds', value: 60 } },
        {
          cookie,
          origin,
        },
      );
      expect(ok.status).toBe(200);
      expect(ok.json()).toMatchObject({ ok: true, result: { approvals: { timeoutSeconds: 60 } } });
      const bad = await post('/api/servers.remove', { input: { name: 42 } }, { cookie, origin });
      expect(bad.status).toBe(400);
    });

    it('gives a new login link to the admin token only', async () => {
      const cookie = await signIn();
      expect((await post('/api/ui.loginLink', {}, { cookie, origin })).status).toBe(403);
      expect((await post('/api/ui.loginLink', {}, { authorization: `Bearer ${clientToken}` })).status).toBe(
        403,
      );
      expect((await post('/api/ui.loginLink', {})).status).toBe(401);
      const res = await post('/api/ui.loginLink', {}, { authorization: `Bearer ${ADMIN}` });
      expect(res.status).toBe(200);
      const link = (res.json() as { result: { url: string } }).result.url;
      expect(link).toMatch(
        new RegExp(`^http://127\\.0\\.0\\.1:${gw.port}/app/login#secret=[A-Za-z0-9_-]{43}$`),
      );
      const secret = link.split('#secret=')[1]!;
      expect((await post('/app/login', { secret }, { origin })).status).toBe(200);
    });
  });

  describe('/api/events', () => {
    it('refuses a stream without a session (401) or with a client token (403)', async () => {
      expect((await get('/api/events')).status).toBe(401);
      expect((await get('/api/events', { authorization: `Bearer ${clientToken}` })).status).toBe(403);
    });

    it('delivers service events to a signed-in browser and cleans up when it goes away', async () => {
      const cookie = await signIn();
      const stream = await openSse(gw.port, {
        method: 'GET',
        path: '/api/events',
        headers: { host, cookie, accept: 'text/event-stream' },
      });
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.headers['cache-control']).toBe('no-store');
      await gw.core.services['clients.add']({ name: 'second' });
      const [event] = await stream.waitForEvents(1);
      expect(JSON.parse(event!.data)).toEqual({ type: 'clients-changed' });
      stream.drop();
      await stream.ended;
      await expect.poll(() => webUi.openEventStreams).toBe(0);
    });

    it('ends a session’s streams when it signs out', async () => {
      const cookie = await signIn();
      const stream = await openSse(gw.port, {
        method: 'GET',
        path: '/api/events',
        headers: { host, cookie },
      });
      expect(stream.status).toBe(200);
      expect(webUi.openEventStreams).toBe(1);
      await post('/app/logout', {}, { cookie, origin });
      await stream.ended;
      await expect.poll(() => webUi.openEventStreams).toBe(0);
    });
  });
});

describe('web UI host without a built UI', () => {
  let gw: GatewayHarness;

  beforeAll(async () => {
    gw = await startGateway({ level: 'error' });
    gw.core.gateway.addRoute(
      new WebUi({
        events: gw.core.services.onDidChange,
        sessions: new WebSessions(),
        adminToken: ADMIN,
        logger: nullLogger,
        rendererDir: path.join(os.tmpdir(), 'gatehouse-no-such-renderer'),
      }),
    );
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it('says how to build it, and still serves the sign-in page', async () => {
    const host = `127.0.0.1:${gw.port}`;
    const app = await rawRequest(gw.port, { method: 'GET', path: '/app/', headers: { host } });
    expect(app.status).toBe(503);
    expect(app.body).toContain('npm run build:ui');
    const asset = await rawRequest(gw.port, { method: 'GET', path: '/app/assets/x.js', headers: { host } });
    expect(asset.status).toBe(404);
    const login = await rawRequest(gw.port, { method: 'GET', path: '/app/login', headers: { host } });
    expect(login.status).toBe(200);
    const put = await rawRequest(gw.port, { method: 'PUT', path: '/app/login', headers: { host } });
    expect(put.status).toBe(405);
  });
});
