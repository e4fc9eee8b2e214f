import childProcess from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openBrowser, openBrowserCommand } from '../../../electron/main/oauth/browser-opener.ts';
import type {
  OpenerProcess,
  OpenerSpawn,
  OpenerSpawnOptions,
} from '../../../electron/main/oauth/browser-opener.ts';
import { HOSTILE_OPENER_URLS, realAuthorizationUrl } from './hostile-urls.ts';

const URL_OK = 'https://auth.example.com/authorize?response_type=code&client_id=abc';
const PLATFORMS = ['darwin', 'win32', 'linux', 'freebsd', 'openbsd', 'netbsd'] as const;
const SHELLS = ['sh', 'bash', 'zsh', 'cmd', 'cmd.exe', 'powershell', 'powershell.exe', 'pwsh', 'start'];

interface SpawnCall {
  command: string;
  args: string[];
  options: OpenerSpawnOptions;
}

/** A fake spawn that records its calls and whose child emits `event` on the next tick. */
function fakeSpawn(outcome: 'spawn' | 'error' | 'throw'): {
  spawn: OpenerSpawn;
  calls: SpawnCall[];
  unrefs: () => number;
} {
  const calls: SpawnCall[] = [];
  let unrefCount = 0;
  const spawn: OpenerSpawn = (command, args, options) => {
    calls.push({ command, args, options });
    if (outcome === 'throw') throw new Error('spawn EINVAL');
    const child = Object.assign(new EventEmitter(), {
      unref: () => {
        unrefCount += 1;
      },
    });
    setImmediate(() => {
      if (outcome === 'spawn') child.emit('spawn');
      else child.emit('error', Object.assign(new Error('spawn xdg-open ENOENT'), { code: 'ENOENT' }));
    });
    return child satisfies OpenerProcess;
  };
  return { spawn, calls, unrefs: () => unrefCount };
}

describe('openBrowserCommand', () => {
  it.each([
    ['darwin', { command: 'open', args: [URL_OK] }],
    ['win32', { command: 'rundll32', args: ['url.dll,FileProtocolHandler', URL_OK] }],
    ['linux', { command: 'xdg-open', args: [URL_OK] }],
    ['freebsd', { command: 'xdg-open', args: [URL_OK] }],
    ['openbsd', { command: 'xdg-open', args: [URL_OK] }],
    ['netbsd', { command: 'xdg-open', args: [URL_OK] }],
  ])('%s', (platform, expected) => {
    expect(openBrowserCommand(URL_OK, platform)).toEqual(expected);
  });

  it.each(['android', 'haiku', 'cygwin', 'plan9', ''])('no opener for platform %j', (platform) => {
    expect(openBrowserCommand(URL_OK, platform)).toBeUndefined();
  });

  it('defaults to the current platform', () => {
    expect(openBrowserCommand(URL_OK)).toEqual(openBrowserCommand(URL_OK, process.platform));
  });

  it.each(PLATFORMS)('passes the normalized href as the last argv element on %s', (platform) => {
    const opener = openBrowserCommand('HTTPS://AUTH.example.com/authorize?x=1&y=2', platform);
    expect(opener?.args.at(-1)).toBe('https://auth.example.com/authorize?x=1&y=2');
    expect(openBrowserCommand('https://аррӏе.com/', platform)?.args.at(-1)).toBe(
      'https://xn--80ak6aa92e.com/',
    );
  });

  it.each(PLATFORMS)('opens a real authorization URL on %s, never through a shell', (platform) => {
    const url = realAuthorizationUrl();
    const opener = openBrowserCommand(url, platform);
    expect(opener?.args.at(-1)).toBe(url);
    expect(SHELLS).not.toContain(opener?.command);
    expect(opener?.args.some((arg) => arg.startsWith('-') || arg.startsWith('/'))).toBe(false);
  });

  it('opens a loopback http URL (the opener has no server context)', () => {
    expect(openBrowserCommand('http://127.0.0.1:3000/authorize', 'linux')).toEqual({
      command: 'xdg-open',
      args: ['http://127.0.0.1:3000/authorize'],
    });
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    it.each(HOSTILE_OPENER_URLS)('refuses %s', (_name, url) => {
      expect(openBrowserCommand(url, platform)).toBeUndefined();
    });
  });
});

describe('openBrowser', () => {
  it.each(PLATFORMS)('spawns the opener detached, without a shell, on %s', async (platform) => {
    const fake = fakeSpawn('spawn');
    await expect(openBrowser(URL_OK, fake.spawn, platform)).resolves.toBe(true);
    expect(fake.calls).toHaveLength(1);
    const [call] = fake.calls;
    expect(call).toEqual({
      ...openBrowserCommand(URL_OK, platform),
      options: { detached: true, shell: false, stdio: 'ignore', windowsHide: true },
    });
    expect(SHELLS).not.toContain(call?.command);
    expect(fake.unrefs()).toBe(1);
  });

  it('resolves false when the opener does not exist (ENOENT)', async () => {
    const fake = fakeSpawn('error');
    await expect(openBrowser(URL_OK, fake.spawn, 'linux')).resolves.toBe(false);
    expect(fake.calls[0]?.options.shell).toBe(false);
  });

  it('resolves false when spawn throws', async () => {
    const fake = fakeSpawn('throw');
    await expect(openBrowser(URL_OK, fake.spawn, 'darwin')).resolves.toBe(false);
  });

  it('resolves false with the real spawn and a missing program', async () => {
    const missing: OpenerSpawn = (_command, args, options) =>
      childProcess.spawn('gatehouse-test-no-such-opener', args, options);
    await expect(openBrowser(URL_OK, missing, 'linux')).resolves.toBe(false);
  });

  it('resolves false without spawning on a platform with no opener', async () => {
    const fake = fakeSpawn('spawn');
    await expect(openBrowser(URL_OK, fake.spawn, 'android')).resolves.toBe(false);
    expect(fake.calls).toHaveLength(0);
  });

  it.each(HOSTILE_OPENER_URLS)('never spawns for %s', async (_name, url) => {
    const fake = fakeSpawn('spawn');
    for (const platform of PLATFORMS) {
      await expect(openBrowser(url, fake.spawn, platform)).resolves.toBe(false);
    }
    expect(fake.calls).toHaveLength(0);
  });
});
