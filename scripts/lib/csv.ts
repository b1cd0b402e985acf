/**
 * CSV for finance's spreadsheets (RFC 4180 through csv-stringify): a cell with a comma, a quote,
 * a line feed or a carriage return is quoted; a text cell a spreadsheet would run as a formula
 * (starting with =, +, -, @, a tab or a carriage return) is neutralised with a leading
 * apostrophe. Plain numbers ("-25.00") are left as they are.
 */
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export type CsvCell = string | number | null;

function neutralise(v: CsvCell): string {
  if (v === null) return '';
  const s = String(v);
  return FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

/** One CSV record, with its line feed. */
export function csvLine(cells: readonly CsvCell[]): string {
  return stringify([cells.map(neutralise)], { quoted_match: /[\r\n]/, record_delimiter: '\n' });
}
