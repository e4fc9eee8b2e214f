import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/fs-utils.ts';

/** A client config file as found on disk. */
export interface ConfigFile {
  /** The path the client reads. */
  path: string;
  /** Where writes go: the symlink's target when the path is a link (dotfile managers), else `path`. */
  target: string;
  exists: boolean;
  bytes?: Buffer;
  text?: string;
  /** Permission bits to keep on rewrite. */
  mode?: number;
}

export function readConfigFile(file: string): ConfigFile {
  let target: string;
  try {
    target = fs.realpathSync(file);
  } catch {
    return { path: file, target: file, exists: false };
  }
  const bytes = fs.readFileSync(target);
  return {
    path: file,
    target,
    exists: true,
    bytes,
    text: bytes.toString('utf8'),
    mode: fs.statSync(target).mode & 0o777,
  };
}

/** Timestamped, never-overwritten copy of the file's current bytes next to it; returns its path. */
export function backupConfigFile(file: ConfigFile, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const backup = `${file.path}.gatehouse-backup-${stamp}${n ? `-${n}` : ''}`;
    try {
      fs.copyFileSync(file.target, backup, fs.constants.COPYFILE_EXCL);
      fs.chmodSync(backup, file.mode ?? 0o600);
      return backup;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Writes the new text atomically, keeping the file's permissions (new files: owner only). */
export function writeConfigFile(file: ConfigFile, text: string): void {
  fs.mkdirSync(path.dirname(file.target), { recursive: true });
  writeFileAtomic(file.target, text, file.mode ?? 0o600);
}

/** Puts a backup's exact bytes back in place atomically, with the backup's permissions. */
export function restoreConfigFile(backup: string, file: ConfigFile): void {
  writeFileAtomic(file.target, fs.readFileSync(backup), fs.statSync(backup).mode & 0o777);
}
