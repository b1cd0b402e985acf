/** JSON.stringify's replacer for values holding bigint (minor units): each becomes its decimal string. */
export function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** JSON text of a value that may hold bigint (minor units as decimal strings). */
export function stringifyWithBigints(value: unknown): string {
  return JSON.stringify(value, bigintReplacer);
}
