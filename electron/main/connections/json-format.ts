import {
  applyEdits,
  findNodeAtLocation,
  format,
  modify,
  parse,
  parseTree,
  printParseErrorCode,
  type Edit,
  type FormattingOptions,
  type ParseError,
} from 'jsonc-parser';
import { ConfigParseError, eolOf, lineCol, type ConfigFormat, type EntryChanges } from './config-format.ts';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Indentation and line ends as the file already has them (2 spaces for a new file). */
function formattingOf(text: string): FormattingOptions {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  return {
    insertSpaces: !indent?.startsWith('\t'),
    tabSize: indent && !indent.startsWith('\t') ? indent.length : 2,
    eol: eolOf(text),
  };
}

/**
 * jsonc-parser inserts a new property right after the previous value, which would push that line's
 * trailing comma and comment (`"a": {}, // mine`) behind the new property. Instead the new property
 * goes on its own line after the comment, and the previous line keeps (or gains) its comma.
 */
function afterLineComment(text: string, edit: Edit, eol: string): Edit & { formatFrom?: number } {
  if (edit.length !== 0 || !edit.content.startsWith(',')) return edit;
  const rest = /^([ \t]*,)?([ \t]*(?:\/\/[^\r\n]*|\/\*[^\r\n]*?\*\/)[ \t]*)(?=\r?\n)/.exec(
    text.slice(edit.offset),
  );
  if (!rest) return edit;
  const lineEnd = edit.offset + rest[0].length;
  const property = edit.content.slice(1);
  const content = rest[1]
    ? `${text.slice(edit.offset, lineEnd)}${eol}${property},`
    : `,${text.slice(edit.offset, lineEnd)}${eol}${property}`;
  // Only the new property is formatted; the comment line stays byte for byte.
  return { offset: edit.offset, length: lineEnd - edit.offset, content, formatFrom: content.indexOf(eol) };
}

const LINE_TAIL = /^[ \t]*(,)?[ \t]*(?:\/\/[^\r\n]*|\/\*[^\r\n]*?\*\/)?[ \t]*(?:\r?\n|$)/;

/**
 * Removes a property that sits on lines of its own by removing those lines (and the comma it needed on
 * the previous property), so removing what Gatehouse inserted gives the text back as it was. Undefined
 * when the property shares a line with something else (jsonc-parser's own removal is used then).
 */
function removeOwnLines(text: string, path: string[]): string | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const value = root && findNodeAtLocation(root, path);
  const property = value?.parent;
  const siblings = property?.parent?.children;
  if (!property || property.type !== 'property' || !siblings) return undefined;
  const lineStart = text.lastIndexOf('\n', property.offset - 1) + 1;
  if (text.slice(lineStart, property.offset).trim() !== '') return undefined;
  const tail = LINE_TAIL.exec(text.slice(property.offset + property.length));
  if (!tail) return undefined;
  const end = property.offset + property.length + tail[0].length;
  let out = text.slice(0, lineStart) + text.slice(end);
  const index = siblings.indexOf(property);
  const previous = siblings[index - 1];
  if (index === siblings.length - 1 && !tail[1] && previous) {
    // It was the last property: the previous one's comma (right after its value) goes too.
    const comma = text.indexOf(',', previous.offset + previous.length);
    if (comma >= 0 && comma < lineStart) out = out.slice(0, comma) + out.slice(comma + 1);
  }
  return out;
}

/**
 * JSON (strict) or JSONC (comments, trailing commas) edited with jsonc-parser: only the entries
 * Gatehouse writes change; other entries, comments, key order and formatting stay as they were.
 */
export function jsonFormat(serversKey: string, options: { comments: boolean }): ConfigFormat {
  const parseOptions = {
    disallowComments: !options.comments,
    allowTrailingComma: options.comments,
    allowEmptyContent: true,
  };

  function parseText(text: string): Record<string, unknown> {
    if (text.trim() === '') return {};
    const errors: ParseError[] = [];
    const value: unknown = parse(text, errors, parseOptions);
    const first = errors[0];
    if (first) {
      throw new ConfigParseError(
        `not valid ${options.comments ? 'JSON with comments' : 'JSON'}: ${printParseErrorCode(first.error)} at ${lineCol(text, first.offset)}`,
      );
    }
    if (!isObject(value)) throw new ConfigParseError('the top level is not a JSON object');
    return value;
  }

  function read(text: string): Record<string, unknown> {
    const servers = parseText(text)[serversKey];
    if (servers === undefined) return {};
    if (!isObject(servers)) throw new ConfigParseError(`"${serversKey}" is not a JSON object`);
    return servers;
  }

  /**
   * Writes one value (or removes it with `undefined`). Inserting next to existing properties formats
   * only the inserted text; jsonc-parser's own formatting would also re-flow the neighbouring line.
   */
  function setValue(text: string, name: string, value: Record<string, unknown> | undefined): string {
    const root = parseText(text);
    const servers = root[serversKey];
    const parentHasProperties = isObject(servers)
      ? Object.keys(servers).length > 0
      : Object.keys(root).length > 0;
    const formatting = formattingOf(text);
    if (value !== undefined && !parentHasProperties) {
      return applyEdits(text, modify(text, [serversKey, name], value, { formattingOptions: formatting }));
    }
    if (value === undefined) {
      const removed = removeOwnLines(text, [serversKey, name]);
      if (removed !== undefined) return removed;
    }
    let out = text;
    const edits = modify(text, [serversKey, name], value, {})
      .map((edit) => afterLineComment(text, edit, formatting.eol ?? '\n'))
      .sort((a, b) => b.offset - a.offset);
    for (const edit of edits) {
      out = out.slice(0, edit.offset) + edit.content + out.slice(edit.offset + edit.length);
      if (edit.content.length > 0) {
        const from = edit.formatFrom ?? 0;
        const range = { offset: edit.offset + from, length: edit.content.length - from };
        out = applyEdits(out, format(out, range, formatting));
      }
    }
    return out;
  }

  return {
    read,
    edit(text, changes: EntryChanges) {
      let out = text === undefined || text.trim() === '' ? '' : text;
      for (const name of changes.remove) out = setValue(out, name, undefined);
      for (const [name, value] of changes.set) out = setValue(out, name, value);
      if ((text === undefined || text.trim() === '') && !out.endsWith('\n')) out += eolOf(text);
      read(out); // what we write must read back
      return out;
    },
  };
}
