/**
 * Shared plumbing of the upstream simulators, by job: the server kit (listening, JSON with bigint,
 * problem answers; http-kit.ts), request validators (validators.ts), the signed, controllable
 * webhook queue (webhook-sender.ts) and the simulator skeleton with fault injection (sim-base.ts).
 */
export * from './http-kit';
export * from './validators';
export * from './webhook-sender';
export * from './sim-base';
