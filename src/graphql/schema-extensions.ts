/**
 * Resolvers contributed by the use-case modules (refund execution, exceptions, reconciliation,
 * audit). Kept apart from schema.ts so each module registers itself in one line here.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const resolvers: Function[] = [];
const referenceResolvers: Record<string, Record<string, unknown>>[] = [];

export const SCHEMA_EXTENSIONS = { resolvers, referenceResolvers };
