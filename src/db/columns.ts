import { ColumnOptions, PrimaryColumnOptions, ValueTransformer } from 'typeorm';

/** BIGINT ⇄ bigint. mysql2 is configured to hand BIGINT back as strings, never as lossy numbers. */
export const bigintTransformer: ValueTransformer = {
  to: (v: bigint | null | undefined) => (v === null || v === undefined ? v : v.toString()),
  from: (v: string | number | null) => (v === null || v === undefined ? v : BigInt(v)),
};

export const moneyColumn = (opts: Partial<ColumnOptions> = {}): ColumnOptions => ({
  type: 'bigint',
  transformer: bigintTransformer,
  ...opts,
});

export const currencyColumn = (opts: Partial<ColumnOptions> = {}): ColumnOptions => ({
  type: 'char',
  length: 3,
  ...opts,
});

export const idColumn = (opts: Partial<ColumnOptions> = {}): ColumnOptions => ({
  type: 'varchar',
  length: 64,
  ...opts,
});

export const primaryIdColumn = (): PrimaryColumnOptions => ({ type: 'varchar', length: 64 });

export const timeColumn = (opts: Partial<ColumnOptions> = {}): ColumnOptions => ({
  type: 'datetime',
  precision: 3,
  ...opts,
});

export const versionColumn = (): ColumnOptions => ({ type: 'bigint', transformer: bigintTransformer, default: 0 });
