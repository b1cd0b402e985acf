import { ColumnOptions, PrimaryColumnOptions, ValueTransformer } from 'typeorm';

/** BIGINT ⇄ bigint. mysql2 is configured to hand BIGINT back as strings, never as lossy numbers. */
export const bigintTransformer: ValueTransformer = {
  to: (v: bigint | null | undefined) => (v === null || v === undefined ? v : v.toString()),
  from: (v: string | number | null) => (v === null || v === undefined ? v : BigInt(v)),
};

/**
 * Every column that holds text is utf8mb4 with the binary collation, declared here rather than left
 * to the database's default (a stock server's is latin1, which cannot store "заказ-1" or an emoji).
 * Binary because ids must stay exact: under a case-insensitive collation the webhook events "evt_AB"
 * and "evt_ab" would be one event, the second dropped as a duplicate. Migrations say the same
 * (CHARACTER SET utf8mb4 COLLATE utf8mb4_bin); test/integration/latin1-database.test.ts checks both.
 */
const TEXT_CHARSET = 'utf8mb4';
const TEXT_COLLATION = 'utf8mb4_bin';

/** A varchar/char/text column with the charset and collation above. */
export const stringColumn = <T extends ColumnOptions | PrimaryColumnOptions>(opts: T): T => ({ ...opts, charset: TEXT_CHARSET, collation: TEXT_COLLATION });

export const moneyColumn = (opts: Partial<ColumnOptions> = {}): ColumnOptions => ({
  type: 'bigint',
  transformer: bigintTransformer,
  ...opts,
});

export const currencyColumn = (opts: Partial<ColumnOptions> = {}): ColumnOptions =>
  stringColumn({
    type: 'char',
    length: 3,
    ...opts,
  });

export const idColumn = (opts: Partial<ColumnOptions> = {}): ColumnOptions =>
  stringColumn({
    type: 'varchar',
    length: 64,
    ...opts,
  });

export const primaryIdColumn = (): PrimaryColumnOptions => stringColumn({ type: 'varchar', length: 64 });

export const timeColumn = (opts: Partial<ColumnOptions> = {}): ColumnOptions => ({
  type: 'datetime',
  precision: 3,
  ...opts,
});

export const versionColumn = (): ColumnOptions => ({ type: 'bigint', transformer: bigintTransformer, default: 0 });
