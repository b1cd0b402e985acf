"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.versionColumn = exports.timeColumn = exports.primaryIdColumn = exports.idColumn = exports.currencyColumn = exports.moneyColumn = exports.bigintTransformer = void 0;
/** BIGINT ⇄ bigint. mysql2 is configured to hand BIGINT back as strings, never as lossy numbers. */
exports.bigintTransformer = {
    to: (v) => (v === null || v === undefined ? v : v.toString()),
    from: (v) => (v === null || v === undefined ? v : BigInt(v)),
};
const moneyColumn = (opts = {}) => ({
    type: 'bigint',
    transformer: exports.bigintTransformer,
    ...opts,
});
exports.moneyColumn = moneyColumn;
const currencyColumn = (opts = {}) => ({
    type: 'char',
    length: 3,
    ...opts,
});
exports.currencyColumn = currencyColumn;
const idColumn = (opts = {}) => ({
    type: 'varchar',
    length: 64,
    ...opts,
});
exports.idColumn = idColumn;
const primaryIdColumn = () => ({ type: 'varchar', length: 64 });
exports.primaryIdColumn = primaryIdColumn;
const timeColumn = (opts = {}) => ({
    type: 'datetime',
    precision: 3,
    ...opts,
});
exports.timeColumn = timeColumn;
const versionColumn = () => ({ type: 'bigint', transformer: exports.bigintTransformer, default: 0 });
exports.versionColumn = versionColumn;
//# sourceMappingURL=columns.js.map