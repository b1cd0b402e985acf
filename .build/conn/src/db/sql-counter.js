"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CountingLogger = void 0;
exports.countStatements = countStatements;
/**
 * Counts SQL statements. Tests use it to prove that a query's statement count depends on its
 * shape, not on how many rows it returns. The count is process-wide (a request served by the
 * in-process HTTP server runs outside the caller's async context), so measure while nothing
 * else is running.
 */
const totals = { count: 0 };
async function countStatements(fn) {
    const before = totals.count;
    const result = await fn();
    return { result, count: totals.count - before };
}
class CountingLogger {
    constructor(onError) {
        this.onError = onError;
    }
    logQuery(query) {
        if (/^(START TRANSACTION|COMMIT|ROLLBACK|SET TRANSACTION)/i.test(query))
            return;
        totals.count++;
    }
    logQueryError(error, query) {
        this.onError?.(`query failed: ${query.slice(0, 200)}`, error);
    }
    logQuerySlow() { }
    logSchemaBuild() { }
    logMigration() { }
    log() { }
}
exports.CountingLogger = CountingLogger;
//# sourceMappingURL=sql-counter.js.map