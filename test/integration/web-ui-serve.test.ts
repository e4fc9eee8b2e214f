import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGatehouse, startServe, type ServeProcess } from './support/gatehouse-process.ts';
import { rawRequest } from './support/raw-http.ts';
import { openSse } from './support/sse-client.ts';

const LINK = /(http:\/\/127\.0\.0\.1:\d+\/app\/login#secret=([A-Za-z0-9_-]+))/;

/** The web UI's sign-in as `gatehouse serve` and `gatehouse ui` offer it (real processes). */
describe('gatehouse serve: web UI sign-in link', () => {
  let dataDir: string;
  let serve: ServeProcess;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-webui-serve-'));
    serve = await startServe(dataDir);
    for (let i = 0; i < 200 && !LINK.test(serve.output()); i++) await new Promise((r) => setTimeout(r, 25));
  });
  afterAll(async () => {
    await serve?.stop('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const login = (secret: string) =>
    rawRequest(serve.port, {
      method: 'POST',
      path: '/app/login',
      headers: {
        host: `127.0.0.1:${serve.port}`,
        origin: serve.url,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ secret }),
    });

  it('prints a one-time link on its own origin, with the secret in the fragment', async () => {
    const [, url, secret] = LINK.exec(serve.output())!;
    expect(new URL(url!).origin).toBe(serve.url);
    expect((await login(secret!)).status).toBe(200);
    expect((await login(secret!)).status).toBe(403);
  });

  it('`gatehouse ui` prints a new link from the running process', async () => {
    const first = await runGatehouse(['ui', '--data-dir', dataDir]);
    const second = await runGatehouse(['ui', '--data-dir', dataDir]);
    expect(first.code).toBe(0);
    const older = LINK.exec(first.stdout)![2]!;
    const newer = LINK.exec(second.stdout)![2]!;
    expect(newer).not.toBe(older);
    expect((await login(older)).status).toBe(403);
    expect((await login(newer)).status).toBe(200);
  });

  it('stops promptly with a browser still listening to events', async () => {
    const printed = await runGatehouse(['ui', '--data-dir', dataDir]);
    const res = await login(LINK.exec(printed.stdout)![2]!);
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const stream = await openSse(serve.port, {
      method: 'GET',
      path: '/api/events',
      headers: { host: `127.0.0.1:${serve.port}`, cookie },
    });
    expect(stream.status).toBe(200);
    expect(await serve.stop('SIGTERM')).toBe(0);
    await stream.ended;
    expect(serve.output()).toContain('Gatehouse stopped.');
  });

  it('`gatehouse ui` says so when nothing is running', async () => {
    const result = await runGatehouse(['ui', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not running');
  });
});
