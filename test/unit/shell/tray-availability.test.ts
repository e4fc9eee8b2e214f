import { describe, expect, it, vi } from 'vitest';
import {
  NO_TRAY_MESSAGE,
  parseNameHasOwner,
  planTray,
  probeLinuxTray,
} from '../../../electron/main/app/tray-availability.ts';

vi.mock('electron', () => {
  throw new Error('electron must not be loaded by the tray availability logic');
});

type Run = Parameters<typeof probeLinuxTray>[1];

/** A fake execFile answering per command: stdout, or an error (not installed, no bus). */
function fakeRun(answers: Record<string, string | Error>) {
  const calls: string[] = [];
  const run: Run = (file, _args, _options, callback) => {
    calls.push(file);
    const answer = answers[file] ?? Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
    if (answer instanceof Error) callback(answer, '');
    else callback(null, answer);
  };
  return { run, calls };
}

describe('planTray', () => {
  it('macOS and Windows always have a tray: start to it with no window', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      expect(planTray({ platform, probe: 'unknown' })).toEqual({
        createTray: true,
        openWindowAtStart: false,
        quitWhenSettingsCloses: false,
      });
    }
  });

  it('Linux with a StatusNotifier host (or no way to ask): the tray', () => {
    expect(planTray({ platform: 'linux', probe: 'present' }).openWindowAtStart).toBe(false);
    expect(planTray({ platform: 'linux', probe: 'unknown' }).openWindowAtStart).toBe(false);
  });

  it('Linux without a tray: opens the window, quits with it, and says why', () => {
    const plan = planTray({ platform: 'linux', probe: 'absent' });
    expect(plan).toMatchObject({
      openWindowAtStart: true,
      quitWhenSettingsCloses: true,
      message: NO_TRAY_MESSAGE,
    });
    expect(plan.message).toMatch(/AppIndicator/);
  });

  it('a tray that could not be created counts as none, on any platform', () => {
    expect(planTray({ platform: 'linux', probe: 'present', trayFailed: true })).toMatchObject({
      createTray: false,
      openWindowAtStart: true,
      quitWhenSettingsCloses: true,
    });
  });
});

describe('probeLinuxTray', () => {
  it('reads dbus-send and gdbus answers', () => {
    expect(parseNameHasOwner('method return time=1 sender=org.freedesktop.DBus\n   boolean true\n')).toBe(
      'present',
    );
    expect(parseNameHasOwner('   boolean false\n')).toBe('absent');
    expect(parseNameHasOwner('(true,)\n')).toBe('present');
    expect(parseNameHasOwner('(false,)\n')).toBe('absent');
    expect(parseNameHasOwner('garbage')).toBe('unknown');
  });

  it('asks the session bus whether a StatusNotifierWatcher runs', async () => {
    const env = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' };
    expect(await probeLinuxTray(env, fakeRun({ 'dbus-send': '   boolean true\n' }).run)).toBe('present');
    expect(await probeLinuxTray(env, fakeRun({ 'dbus-send': '   boolean false\n' }).run)).toBe('absent');
  });

  it('falls back to gdbus, and is unknown when neither tool answers', async () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    const gdbus = fakeRun({ gdbus: '(false,)\n' });
    expect(await probeLinuxTray(env, gdbus.run)).toBe('absent');
    expect(gdbus.calls).toEqual(['dbus-send', 'gdbus']);
    expect(await probeLinuxTray(env, fakeRun({}).run)).toBe('unknown');
  });

  it('no session bus at all means no tray, without running anything', async () => {
    const none = fakeRun({ 'dbus-send': '   boolean true\n' });
    expect(await probeLinuxTray({}, none.run)).toBe('absent');
    expect(none.calls).toEqual([]);
  });
});
