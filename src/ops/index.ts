/**
 * Ops module: the /ops page for support and finance (the exception queue, reconciliation runs, an
 * order across the three systems, the plumbing), built at build time into dist/web/ops and served
 * from there, and `viewer` — who the page's credential is and what it may do.
 */
export { opsModule } from './ops.module';
