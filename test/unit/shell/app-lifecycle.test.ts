import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../../electron/main/base/emitter.ts';
import { syncDockWithWindows } from '../../../electron/main/app/app-lifecycle.ts';

vi.mock('electron', () => {
  throw new Error('app-lifecycle takes the app and dock as arguments');
});

describe('syncDockWithWindows (macOS)', () => {
  it('shows the Dock icon only while a settings window is open', () => {
    const dock = { show: vi.fn(async () => {}), hide: vi.fn() };
    const changes = new Emitter<number>();
    let settingsWindows = 0;
    const sync = syncDockWithWindows(dock, () => settingsWindows, changes.event);
    expect(dock.hide).toHaveBeenCalledOnce();
    settingsWindows = 1;
    changes.fire(1);
    expect(dock.show).toHaveBeenCalledOnce();
    // The popup opening or closing changes nothing while the settings window stays.
    changes.fire(2);
    changes.fire(1);
    expect(dock.show).toHaveBeenCalledOnce();
    settingsWindows = 0;
    changes.fire(0);
    expect(dock.hide).toHaveBeenCalledTimes(2);
    sync.dispose();
    settingsWindows = 1;
    changes.fire(1);
    expect(dock.show).toHaveBeenCalledOnce();
  });

  it('does nothing where there is no Dock (Windows, Linux)', () => {
    expect(() =>
      syncDockWithWindows(undefined, () => 1, new Emitter<number>().event).dispose(),
    ).not.toThrow();
  });
});
