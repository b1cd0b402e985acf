"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SCHEMA_EXTENSIONS = void 0;
/**
 * Resolvers contributed by the use-case modules (refund execution, exceptions, reconciliation,
 * audit). Kept apart from schema.ts so each module registers itself in one line here.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const resolvers = [];
const referenceResolvers = [];
exports.SCHEMA_EXTENSIONS = { resolvers, referenceResolvers };
//# sourceMappingURL=schema-extensions.js.map