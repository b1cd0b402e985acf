/** JSON for records that carry money as bigint minor units. */

/** A JSON.stringify replacer: a bigint becomes its decimal digits; everything else is left alone. */
export const bigintReplacer = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

/** JSON.stringify with bigints as their decimal digits. */
export function stringifyWithBigints(value: unknown, space?: string | number): string {
  return JSON.stringify(value, bigintReplacer, space);
}
