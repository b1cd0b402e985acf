"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.makeFormatError = makeFormatError;
const errors_1 = require("@apollo/server/errors");
const errors_2 = require("./errors");
/**
 * What reaches the client: the message and code of expected errors; for anything else only
 * INTERNAL_SERVER_ERROR and the request id. Never SQL, never a stack. The full error is logged.
 */
function makeFormatError(logger) {
    return (formatted, error) => {
        const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
        const requestId = formatted.extensions?.requestId ?? undefined;
        if (errors_2.CLIENT_ERROR_CODES.has(code)) {
            const { stacktrace: _s, exception: _e, ...ext } = (formatted.extensions ?? {});
            return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { ...ext, code } };
        }
        logger.error({ err: (0, errors_1.unwrapResolverError)(error), path: formatted.path }, 'unexpected GraphQL error');
        return {
            message: 'Internal server error',
            path: formatted.path,
            extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
        };
    };
}
//# sourceMappingURL=format-error.js.map