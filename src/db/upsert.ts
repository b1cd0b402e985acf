import { RequestContext } from './context';

/**
 * INSERT … ON DUPLICATE KEY UPDATE that keeps the newer upstream version: an event older than the
 * stored row changes nothing, so out-of-order and replayed deliveries are harmless.
 * `row` maps column names to values; `source_version` must be one of them.
 */
export async function versionedUpsert(tx: RequestContext, table: string, row: Record<string, unknown>, keyColumns: string[]): Promise<void> {
  const cols = Object.keys(row);
  if (!cols.includes('source_version')) throw new Error(`versionedUpsert(${table}) needs source_version`);
  const updatable = cols.filter((c) => !keyColumns.includes(c) && c !== 'source_version');
  // source_version is assigned last: MySQL evaluates the assignments left to right, and each IF
  // must still compare against the stored version.
  const sets = [
    ...updatable.map((c) => `\`${c}\` = IF(VALUES(source_version) > source_version, VALUES(\`${c}\`), \`${c}\`)`),
    'source_version = GREATEST(source_version, VALUES(source_version))',
  ];
  const sql = `INSERT INTO \`${table}\` (${cols.map((c) => `\`${c}\``).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
    ON DUPLICATE KEY UPDATE ${sets.join(', ')}`;
  await tx.manager.query(
    sql,
    cols.map((c) => toSql(row[c])),
  );
}

/** Plain insert that ignores a row that already exists (immutable upstream records). */
export async function insertIgnore(tx: RequestContext, table: string, row: Record<string, unknown>): Promise<boolean> {
  const res = await tx.manager.query(insertSql('INSERT IGNORE', table, row), Object.values(row).map(toSql));
  return (res as { affectedRows?: number }).affectedRows === 1;
}

/** One row, one statement; a duplicate key fails with ER_DUP_ENTRY. `row` maps column names to values. */
export async function insertRow(tx: RequestContext, table: string, row: Record<string, unknown>): Promise<void> {
  await tx.manager.query(insertSql('INSERT', table, row), Object.values(row).map(toSql));
}

/** insertRow for a row nobody reads back in this statement: it travels with the transaction's next one (RequestContext.later). */
export async function insertRowLater(tx: RequestContext, table: string, row: Record<string, unknown>): Promise<void> {
  await tx.later(insertSql('INSERT', table, row), Object.values(row).map(toSql));
}

/** insertIgnore for a row nobody checks was new: it travels with the transaction's next statement (RequestContext.later). */
export async function insertIgnoreLater(tx: RequestContext, table: string, row: Record<string, unknown>): Promise<void> {
  await tx.later(insertSql('INSERT IGNORE', table, row), Object.values(row).map(toSql));
}

function insertSql(verb: string, table: string, row: Record<string, unknown>): string {
  const cols = Object.keys(row);
  return `${verb} INTO \`${table}\` (${cols.map((c) => `\`${c}\``).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
}

function toSql(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}
