import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/fs-utils.ts';

const FILE = 'admin-token';

/** Creates this run's admin token in the data folder, readable by the owner only. */
export function createAdminToken(dataDir: string): string {
  const token = `gha_${crypto.randomBytes(32).toString('base64url')}`;
  writeFileAtomic(path.join(dataDir, FILE), token, 0o600);
  return token;
}

export function readAdminToken(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dataDir, FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function removeAdminToken(dataDir: string): void {
  fs.rmSync(path.join(dataDir, FILE), { force: true });
}
