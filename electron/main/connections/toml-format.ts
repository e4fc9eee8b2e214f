import { parse, TomlError } from 'smol-toml';
import { ConfigParseError, eolOf, type ConfigFormat, type EntryChanges } from './config-format.ts';

interface Header {
  line: number;
  path: string[];
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** The key path of a `[table]` / `[[array]]` header line, or undefined when the line is not one. */
export function headerPath(line: string): string[] | undefined {
  const text = line.trim();
  if (!text.startsWith('[')) return undefined;
  const array = text.startsWith('[[');
  let i = array ? 2 : 1;
  const path: string[] = [];
  let key = '';
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += ch === '"' && text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return undefined;
      const raw = text.slice(i, j + 1);
      if (ch === "'") key += raw.slice(1, -1);
      else {
        try {
          key += JSON.parse(raw) as string;
        } catch {
          return undefined;
        }
      }
      i = j + 1;
    } else if (ch === '.') {
      path.push(key.trim());
      key = '';
      i++;
    } else if (ch === ']') {
      path.push(key.trim());
      const rest = text.slice(i + (array ? 2 : 1)).trim();
      return rest === '' || rest.startsWith('#') ? path : undefined;
    } else {
      key += ch;
      i++;
    }
  }
  return undefined;
}

function tomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : JSON.stringify(key);
}

/** A TOML value for what Gatehouse writes: strings, numbers, booleans, arrays and flat tables. */
function tomlValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(', ')}]`;
  if (value && typeof value === 'object') {
    const parts = Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`);
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  }
  throw new Error(`cannot write ${typeof value} to TOML`);
}

/** `[<table>.<name>]` with one `key = value` line per field. */
function tableText(table: string, name: string, value: Record<string, unknown>): string[] {
  return [
    `[${tomlKey(table)}.${tomlKey(name)}]`,
    ...Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`),
  ];
}

const isBlank = (line: string) => line.trim() === '';
const isComment = (line: string) => line.trim().startsWith('#');

/**
 * TOML edited by table: an entry is the `[<table>.<name>]` table (and its sub-tables); only those
 * lines are replaced, inserted or removed, so other tables, keys and comments stay byte for byte.
 * smol-toml checks the file before and after.
 */
export function tomlFormat(table: string): ConfigFormat {
  function parseText(text: string): Record<string, unknown> {
    try {
      return parse(text);
    } catch (error) {
      const message = error instanceof TomlError ? error.message.split('\n')[0] : String(error);
      throw new ConfigParseError(`not valid TOML: ${message}`);
    }
  }

  function read(text: string): Record<string, unknown> {
    const servers = parseText(text)[table];
    if (servers === undefined) return {};
    if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
      throw new ConfigParseError(`"${table}" is not a TOML table`);
    }
    return servers as Record<string, unknown>;
  }

  /** Removes the entry's tables; returns where the first one was (for replacing in place). */
  function removeEntry(lines: string[], name: string): number | undefined {
    let first: number | undefined;
    for (;;) {
      const headers: Header[] = [];
      lines.forEach((line, i) => {
        const path = headerPath(line);
        if (path) headers.push({ line: i, path });
      });
      const index = headers.findIndex((h) => h.path[0] === table && h.path[1] === name);
      if (index < 0) return first;
      const start = headers[index]!.line;
      const next = headers[index + 1]?.line ?? lines.length;
      let end = next; // the next table's leading comments and blank lines stay with it
      while (end > start + 1 && (isBlank(lines[end - 1]!) || isComment(lines[end - 1]!))) end--;
      let from = start;
      if (from > 0 && isBlank(lines[from - 1]!) && (end >= lines.length || isBlank(lines[end]!))) from--;
      lines.splice(from, end - from);
      first ??= from;
    }
  }

  return {
    read,
    edit(text, changes: EntryChanges) {
      const original = text ?? '';
      const before = read(original);
      const eol = eolOf(original);
      const endsWithEol = original === '' || original.endsWith('\n');
      const lines = original === '' ? [] : original.split(/\r?\n/);
      if (endsWithEol && lines.length > 0) lines.pop();
      for (const name of [...changes.remove, ...changes.set.map(([n]) => n)]) {
        const at = removeEntry(lines, name);
        const replacement = changes.set.find(([n]) => n === name);
        if (name in before && at === undefined) {
          throw new ConfigParseError(
            `"${table}.${name}" is defined inline, not as its own [${table}.${name}] table; edit it by hand`,
          );
        }
        if (!replacement) continue;
        const block = tableText(table, name, replacement[1]);
        if (at !== undefined) {
          const separated = at > 0 && !isBlank(lines[at - 1]!);
          lines.splice(at, 0, ...(separated ? [''] : []), ...block);
        } else {
          if (lines.length > 0 && !isBlank(lines[lines.length - 1]!)) lines.push('');
          lines.push(...block);
        }
      }
      const out = lines.join(eol) + (lines.length > 0 ? eol : '');
      read(out); // what we write must read back
      return out;
    },
  };
}
