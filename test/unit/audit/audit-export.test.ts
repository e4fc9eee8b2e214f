import { describe, expect, it } from 'vitest';
import {
  CSV_COLUMNS,
  csvCell,
  csvHeader,
  csvLine,
  jsonLine,
} from '../../../electron/main/audit/audit-export.ts';

describe('csvCell', () => {
  it('quotes only when needed, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell({ a: [1, 'x,y'] })).toBe('"{""a"":[1,""x,y""]}"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    for (const start of ['+', '-', '@', '\t']) expect(csvCell(`${start}1+1`)).toBe(`'${start}1+1`);
  });
});

describe('lines', () => {
  it('writes a header and one CRLF line per record, in column order', () => {
    expect(csvHeader()).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    const line = csvLine({
      seq: 3,
      at: '2026-01-01T00:00:00.000Z',
      kind: 'call',
      tool: 'x',
      args: { a: 1 },
      outcome: 'ok',
    });
    const cells = line.slice(0, -2).split(',');
    expect(line.endsWith('\r\n')).toBe(true);
    expect(cells).toHaveLength(CSV_COLUMNS.length);
    expect(cells[CSV_COLUMNS.indexOf('tool')]).toBe('x');
    expect(cells[CSV_COLUMNS.indexOf('args')]).toBe('"{""a"":1}"');
    expect(jsonLine({ seq: 1, at: 'a', kind: 'pause' })).toBe('{"seq":1,"at":"a","kind":"pause"}\n');
  });
});
