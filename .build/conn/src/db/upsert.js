"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.versionedUpsert = versionedUpsert;
exports.insertIgnore = insertIgnore;
/**
 * INSERT … ON DUPLICATE KEY UPDATE that keeps the newer upstream version: an event older than the
 * stored row changes nothing, so out-of-order and replayed deliveries are harmless.
 * `row` maps column names to values; `source_version` must be one of them.
 */
async function versionedUpsert(tx, table, row, keyColumns) {
    const cols = Object.keys(row);
    if (!cols.includes('source_version'))
        throw new Error(`versionedUpsert(${table}) needs source_version`);
    const updatable = cols.filter((c) => !keyColumns.includes(c) && c !== 'source_version');
    // source_version is assigned last: MySQL evaluates the assignments left to right, and each IF
    // must still compare against the stored version.
    const sets = [
        ...updatable.map((c) => `\`${c}\` = IF(VALUES(source_version) > source_version, VALUES(\`${c}\`), \`${c}\`)`),
        'source_version = GREATEST(source_version, VALUES(source_version))',
    ];
    const sql = `INSERT INTO \`${table}\` (${cols.map((c) => `\`${c}\``).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
    ON DUPLICATE KEY UPDATE ${sets.join(', ')}`;
    await tx.manager.query(sql, cols.map((c) => toSql(row[c])));
}
/** Plain insert that ignores a row that already exists (immutable upstream records). */
async function insertIgnore(tx, table, row) {
    const cols = Object.keys(row);
    const res = await tx.manager.query(`INSERT IGNORE INTO \`${table}\` (${cols.map((c) => `\`${c}\``).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => toSql(row[c])));
    return res.affectedRows === 1;
}
function toSql(v) {
    if (typeof v === 'bigint')
        return v.toString();
    if (typeof v === 'boolean')
        return v ? 1 : 0;
    return v;
}
//# sourceMappingURL=upsert.js.map