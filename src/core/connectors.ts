/**
 * The upstream connectors of the process, one per configured system, built once at start-up by the
 * composition root (src/modules.ts) from the system modules' definitions and shared by every
 * caller: a circuit breaker's memory of failures must be shared, or a dead system would still be
 * hammered from each request.
 *
 * Each system module adds its connector here from its own files:
 *
 *   declare module '../../core/connectors' { interface Connectors { psp: PspConnector } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Connectors {}
