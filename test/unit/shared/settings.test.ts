import { describe, expect, it } from 'vitest';
import {
  preferenceKeys,
  preferencesOf,
  settingsDiffer,
  settingsSchema,
  writePreference,
} from '../../../shared/schemas/settings.ts';

describe('settings diffs', () => {
  it('pick every preference section and nothing else', () => {
    const settings = settingsSchema.parse({});
    const prefs = preferencesOf(settings);
    expect(Object.keys(prefs).sort()).toEqual([
      'app',
      'approvals',
      'audit',
      'gateway',
      'pinning',
      'policy',
      'sessions',
      'upstream',
    ]);
    expect(prefs).not.toHaveProperty('servers');
  });

  it.each(preferenceKeys)('see a change of %s as a preference change, not a policy change', (key) => {
    const a = settingsSchema.parse({});
    const b = structuredClone(a);
    writePreference(
      b,
      key,
      key === 'audit.durable' ? true : key.startsWith('policy.') || key === 'pinning.newTools' ? 'deny' : 9,
    );
    expect(settingsDiffer(a, b, 'preferences')).toBe(true);
    expect(settingsDiffer(a, b, 'policy')).toBe(false);
  });

  it('see rules and pause as policy changes', () => {
    const a = settingsSchema.parse({});
    const b = settingsSchema.parse({ pause: { mode: 'ask', since: new Date().toISOString() } });
    expect(settingsDiffer(a, b, 'policy')).toBe(true);
    expect(settingsDiffer(a, b, 'preferences')).toBe(false);
  });
});
