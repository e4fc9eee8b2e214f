/** A config file that cannot be read as its format; it is reported and never written. */
export class ConfigParseError extends Error {}

/** What to change in a client's servers map: entries to write (replaced in place or added) and to remove. */
export interface EntryChanges {
  set: [name: string, value: Record<string, unknown>][];
  remove: string[];
}

/** Reads and edits the servers map of one config format, keeping everything else in the text as it is. */
export interface ConfigFormat {
  /** The servers map (entry name -> value) of a file's text; throws ConfigParseError. */
  read(text: string): Record<string, unknown>;
  /** The text with the changes applied; `undefined` text is a file that does not exist yet. */
  edit(text: string | undefined, changes: EntryChanges): string;
}

/** Line and column (1-based) of an offset, for parse error messages. */
export function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${col}`;
}

/** The end-of-line sequence a text uses (CRLF when its first line break is one). */
export function eolOf(text: string | undefined): string {
  const i = text?.indexOf('\n') ?? -1;
  return i > 0 && text![i - 1] === '\r' ? '\r\n' : '\n';
}
