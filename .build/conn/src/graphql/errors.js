"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CLIENT_ERROR_CODES = void 0;
exports.badInput = badInput;
exports.forbidden = forbidden;
exports.unauthenticated = unauthenticated;
const graphql_1 = require("graphql");
function badInput(message, field) {
    return new graphql_1.GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}
function forbidden(message = 'You are not allowed to do this') {
    return new graphql_1.GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}
function unauthenticated(message = 'Authentication required', httpStatus) {
    return new graphql_1.GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', ...(httpStatus ? { http: { status: httpStatus } } : {}) } });
}
/** Codes whose message is meant for the client; anything else is masked. */
exports.CLIENT_ERROR_CODES = new Set([
    'BAD_USER_INPUT',
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'GRAPHQL_PARSE_FAILED',
    'GRAPHQL_VALIDATION_FAILED',
    'BAD_REQUEST',
    'OPERATION_RESOLUTION_FAILURE',
    'PERSISTED_QUERY_NOT_FOUND',
    'PERSISTED_QUERY_NOT_SUPPORTED',
    'QUERY_TOO_COMPLEX',
    'RATE_LIMITED',
    'TIMEOUT',
]);
//# sourceMappingURL=errors.js.map