import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** Test artifacts (git-ignored). */
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');
/** The set the README shows (committed). */
export const DOCS_SCREENSHOT_DIR = path.join(ROOT, 'docs/screenshots');

/** The settings window's pages, their hash routes and their exact navigation labels (issue 6). */
export const pageLabels = {
  overview: 'Overview',
  servers: 'Servers',
  clients: 'Clients',
  policies: 'Policies',
  sessions: 'Sessions',
  audit: 'Audit',
  changes: 'Changes',
  logins: 'Logins',
  settings: 'Settings',
} as const;
export type PageId = keyof typeof pageLabels;
export const pageIds = Object.keys(pageLabels) as PageId[];

/** Every screenshot the run must produce: each page and the popup view. */
export const SCREENSHOTS = [...pageIds, 'popup'];

/** Waits until a page shows its heading and nothing on it is still loading. */
export async function waitForPage(page: Page, id: PageId): Promise<void> {
  await page.getByRole('heading', { name: pageLabels[id], level: 1 }).waitFor();
  await page
    .getByRole('status')
    .filter({ hasText: /^Loading/ })
    .first()
    .waitFor({ state: 'detached' });
}

/** Saves a screenshot of what the page shows now as test-results/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Caret and animations would make two runs' pictures differ for nothing.
  await page.screenshot({
    path: path.join(SCREENSHOT_DIR, `${name}.png`),
    animations: 'disabled',
    caret: 'hide',
  });
}

/**
 * Copies the complete set to docs/screenshots (the README shows them); refuses an incomplete set.
 * The committed pictures are replaced only when some are missing or GATEHOUSE_UPDATE_SCREENSHOTS=1
 * (times and ports differ on every run: rewriting them each time would only churn the repository).
 */
export function publishScreenshots(): void {
  const missing = SCREENSHOTS.filter((name) => !fs.existsSync(path.join(SCREENSHOT_DIR, `${name}.png`)));
  if (missing.length > 0) throw new Error(`screenshots missing: ${missing.join(', ')}`);
  const complete = SCREENSHOTS.every((name) => fs.existsSync(path.join(DOCS_SCREENSHOT_DIR, `${name}.png`)));
  if (complete && process.env.GATEHOUSE_UPDATE_SCREENSHOTS !== '1') return;
  fs.mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
  for (const name of SCREENSHOTS) {
    fs.copyFileSync(path.join(SCREENSHOT_DIR, `${name}.png`), path.join(DOCS_SCREENSHOT_DIR, `${name}.png`));
  }
}
