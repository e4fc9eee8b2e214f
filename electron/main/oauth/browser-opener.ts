/**
 * Opening the OAuth authorization URL in the person's default browser, without a shell.
 */
import childProcess from 'node:child_process';
import { checkOpenableUrl } from './url-safety.ts';

/** A program and its argv; run it with execFile/spawn semantics, never through a shell. */
export interface OpenerCommand {
  command: string;
  args: string[];
}

/** The options {@link openBrowser} spawns with. */
export interface OpenerSpawnOptions {
  detached: true;
  shell: false;
  stdio: 'ignore';
  windowsHide: true;
}

/** The part of a ChildProcess that {@link openBrowser} uses. */
export interface OpenerProcess {
  once(event: 'spawn', listener: () => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  unref(): void;
}

/** `child_process.spawn`, or a fake of it in tests. */
export type OpenerSpawn = (command: string, args: string[], options: OpenerSpawnOptions) => OpenerProcess;

const XDG_PLATFORMS: readonly string[] = Object.freeze([
  'linux',
  'freebsd',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
]);

/**
 * Returns the platform's URL opener for `url`: macOS `open <url>`, Windows
 * `rundll32 url.dll,FileProtocolHandler <url>`, Linux and the BSDs `xdg-open <url>`. The URL is
 * re-checked with `checkOpenableUrl` (http(s) only, no controls, whitespace or shell metacharacters)
 * and passed as its normalized href in a single argv element; undefined when it fails the check or the
 * platform has no known opener.
 *
 * Why: CVE-2025-6514 — mcp-remote passed a server-chosen `authorization_endpoint` to an opener that ran
 * through `cmd.exe`/PowerShell, giving command injection. MCP security best practices §OAuth
 * authorization URL validation: "MUST NOT open URLs via a shell". `cmd.exe /c start` would re-parse
 * the URL as a command line, so Windows uses url.dll's FileProtocolHandler instead.
 */
export function openBrowserCommand(
  url: string,
  platform: string = process.platform,
): OpenerCommand | undefined {
  const checked = checkOpenableUrl(url);
  if (!checked.ok) return undefined;
  if (platform === 'darwin') return { command: 'open', args: [checked.href] };
  if (platform === 'win32') {
    return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', checked.href] };
  }
  if (XDG_PLATFORMS.includes(platform)) return { command: 'xdg-open', args: [checked.href] };
  return undefined;
}

/**
 * Opens `url` in the default browser with {@link openBrowserCommand}: spawned detached, `shell: false`,
 * `stdio: 'ignore'`, and unreferenced so the gateway does not wait for it. Resolves true once the
 * opener process has started and false when the URL is refused, the platform has no opener, or the
 * opener cannot be started (e.g. ENOENT: no xdg-open); never rejects. True does not prove that a
 * browser showed the page, so the UI should also offer the URL for copying.
 */
export function openBrowser(
  url: string,
  spawn: OpenerSpawn = childProcess.spawn,
  platform: string = process.platform,
): Promise<boolean> {
  const opener = openBrowserCommand(url, platform);
  if (!opener) return Promise.resolve(false);
  return new Promise((resolve) => {
    let child: OpenerProcess;
    try {
      // Why: shell stays false so the URL is one argv element that no shell ever parses (CVE-2025-6514).
      child = spawn(opener.command, opener.args, {
        detached: true,
        shell: false,
        stdio: 'ignore',
        windowsHide: true,
      });
    } catch {
      resolve(false);
      return;
    }
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
