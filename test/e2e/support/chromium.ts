import fs from 'node:fs';
import { describe } from 'vitest';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it), or another build's path. */
export const CHROMIUM = process.env.GATEHOUSE_E2E_CHROMIUM || '/usr/bin/chromium';

const inCi = process.env.CI === 'true';
const present = fs.existsSync(CHROMIUM);

if (!present && !inCi) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! END-TO-END TESTS SKIPPED: no Chromium at ${CHROMIUM}.\n` +
      `!! Install it with \`apt-get install -y chromium\` to run them (CI installs it and never skips).\n${'!'.repeat(78)}\n`,
  );
}

/**
 * `describe` for browser tests: skipped (loudly, above) only when Chromium is missing outside CI; in
 * CI (CI=true) a missing Chromium makes the tests fail in `launchChromium` instead.
 */
export function describeInChromium(name: string, options: { timeout: number }, body: () => void): void {
  (present || inCi ? describe : describe.skip)(name, options, body);
}

/** Headless Chromium with the flags this machine needs; playwright gives it a fresh profile folder. */
export async function launchChromium(): Promise<Browser> {
  if (!present) throw new Error(`Chromium is missing at ${CHROMIUM}: CI must install it (see .ci/run)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** `expect.poll` options with room for a loaded CI machine (the default gives up after one second). */
export const POLL = { timeout: 15_000, interval: 100 };
