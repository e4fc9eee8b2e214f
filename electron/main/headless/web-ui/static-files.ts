import fs from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for a file name (by extension); unknown types are opaque bytes. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** A file found for a URL path. */
export interface StaticFile {
  file: string;
  size: number;
  contentType: string;
  /** Vite's content-hashed build output (`assets/name-HASH.ext`): safe to cache for good. */
  immutable: boolean;
}

/**
 * Maps a URL path below the mount point (e.g. `assets/index-abc.js`) to a regular file inside `root`,
 * or undefined. Refuses, rather than normalises: percent-decoding errors, empty, `.` or `..` segments,
 * backslashes, NUL, dot-files, and anything whose real path (symlinks resolved) leaves `root`.
 */
export function resolveStaticFile(root: string, relative: string): StaticFile | undefined {
  const segments = relative.split('/');
  const decoded: string[] = [];
  for (const raw of segments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '' || segment.startsWith('.') || /[\\/\0:]/.test(segment)) return undefined;
    decoded.push(segment);
  }
  let realRoot: string;
  let real: string;
  try {
    realRoot = fs.realpathSync(root);
    real = fs.realpathSync(path.join(realRoot, ...decoded));
  } catch {
    return undefined;
  }
  const inside = path.relative(realRoot, real);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
  const stat = fs.statSync(real, { throwIfNoEntry: false });
  if (!stat?.isFile()) return undefined;
  return {
    file: real,
    size: stat.size,
    contentType: contentTypeFor(real),
    immutable: decoded[0] === 'assets' && /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(decoded.at(-1)!),
  };
}
