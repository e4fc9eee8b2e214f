import { execFile } from 'node:child_process';

/** Whether a StatusNotifier host (the Linux tray of KDE, Cinnamon, GNOME's AppIndicator extension…) runs. */
export type TrayProbe = 'present' | 'absent' | 'unknown';

/** How the desktop app runs, given what the desktop offers. */
export interface TrayPlan {
  /** Try to create the tray icon. */
  createTray: boolean;
  /** Open the settings window at start (no tray to find the app by). */
  openWindowAtStart: boolean;
  /** Closing the settings window quits: without a tray nothing would be left to reach the app. */
  quitWhenSettingsCloses: boolean;
  /** Shown to the person once, at start. */
  message?: string;
}

export const NO_TRAY_MESSAGE =
  'Your desktop shows no tray icons (no StatusNotifier/AppIndicator host was found), so Gatehouse opens ' +
  'its window instead. The gateway runs while the window is open; closing it quits Gatehouse. ' +
  'Approvals still pop up and notifications still appear.\n\n' +
  'To get the tray icon on GNOME, install the "AppIndicator and KStatusNotifierItem Support" extension ' +
  '(gnome-shell-extension-appindicator) and start Gatehouse again.';

/**
 * Decides how to run from the platform, the tray probe and whether creating the tray failed. macOS and
 * Windows always have a tray. On Linux a missing StatusNotifier host, or a Tray that could not be
 * created, means the window opens instead, with a message saying why; an unknown probe (no `dbus-send`
 * or `gdbus` to ask with) gets the benefit of the doubt. Pure, so it is tested without Electron.
 */
export function planTray(input: {
  platform: NodeJS.Platform;
  probe: TrayProbe;
  trayFailed?: boolean;
}): TrayPlan {
  const withTray: TrayPlan = { createTray: true, openWindowAtStart: false, quitWhenSettingsCloses: false };
  if (input.trayFailed) {
    return {
      createTray: false,
      openWindowAtStart: true,
      quitWhenSettingsCloses: true,
      message: NO_TRAY_MESSAGE,
    };
  }
  if (input.platform !== 'linux') return withTray;
  if (input.probe === 'absent') {
    // Still create the icon: an XEmbed-only panel may show it; the window makes sure the app is reachable.
    return {
      createTray: true,
      openWindowAtStart: true,
      quitWhenSettingsCloses: true,
      message: NO_TRAY_MESSAGE,
    };
  }
  return withTray;
}

/** Reads a `NameHasOwner` answer from `dbus-send --print-reply` or `gdbus call`. */
export function parseNameHasOwner(output: string): TrayProbe {
  if (/\bboolean true\b|\(true,\)/.test(output)) return 'present';
  if (/\bboolean false\b|\(false,\)/.test(output)) return 'absent';
  return 'unknown';
}

type ExecFileLike = (
  file: string,
  args: string[],
  options: { timeout: number },
  callback: (error: Error | null, stdout: string) => void,
) => unknown;

const WATCHER = 'org.kde.StatusNotifierWatcher';
const PROBES: readonly [string, string[]][] = [
  [
    'dbus-send',
    [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      `string:${WATCHER}`,
    ],
  ],
  [
    'gdbus',
    [
      'call',
      '--session',
      '--dest',
      'org.freedesktop.DBus',
      '--object-path',
      '/org/freedesktop/DBus',
      '--method',
      'org.freedesktop.DBus.NameHasOwner',
      WATCHER,
    ],
  ],
];

/**
 * Asks the session bus whether a StatusNotifierWatcher runs (Chromium's Linux tray talks to it).
 * No session bus anywhere (no address, no runtime folder holding one) means no tray; neither tool
 * answering means unknown.
 */
export async function probeLinuxTray(
  env: NodeJS.ProcessEnv,
  run: ExecFileLike = execFile,
): Promise<TrayProbe> {
  if (!env.DBUS_SESSION_BUS_ADDRESS && !env.XDG_RUNTIME_DIR) return 'absent';
  for (const [command, args] of PROBES) {
    const answer = await new Promise<TrayProbe | undefined>((resolve) => {
      try {
        run(command, args, { timeout: 3000 }, (error, stdout) => {
          resolve(error ? undefined : parseNameHasOwner(String(stdout)));
        });
      } catch {
        resolve(undefined);
      }
    });
    if (answer !== undefined && answer !== 'unknown') return answer;
  }
  return 'unknown';
}
