"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CountingLogger = exports.sqlScope = void 0;
exports.countStatements = countStatements;
const node_async_hooks_1 = require("node:async_hooks");
/**
 * Counts SQL statements per async scope. Tests use it to prove that a query's statement count
 * depends on its shape, not on how many rows it returns.
 */
exports.sqlScope = new node_async_hooks_1.AsyncLocalStorage();
function countStatements(fn, keep = false) {
    const scope = { count: 0, statements: keep ? [] : undefined };
    return exports.sqlScope.run(scope, async () => {
        const result = await fn();
        return { result, count: scope.count, statements: scope.statements ?? [] };
    });
}
class CountingLogger {
    constructor(onError) {
        this.onError = onError;
    }
    logQuery(query) {
        const s = exports.sqlScope.getStore();
        if (!s)
            return;
        if (/^(START TRANSACTION|COMMIT|ROLLBACK|SET TRANSACTION)/i.test(query))
            return;
        s.count++;
        s.statements?.push(query);
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