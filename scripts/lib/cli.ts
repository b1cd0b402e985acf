/**
 * What the command-line tools share: one table of exit codes (reconcile, recover, token) and the
 * `--help` convention — usage on stdout, exit 0.
 */
export const EXIT = {
  /** Done; for reconcile: no variance. */
  OK: 0,
  /** reconcile: a variance was found. recover: a refund is still in flight. */
  VARIANCE: 1,
  /** reconcile: the period had no events at all (an alarm, not a clean result). */
  NO_EVENTS_ALARM: 2,
  /** Bad arguments or configuration: nothing was done. */
  USAGE: 3,
  /** The command failed while running. */
  FAILURE: 4,
} as const;

/** Thrown for bad arguments: the tool prints the message (and its usage) on stderr and exits EXIT.USAGE. */
export class UsageError extends Error {}

/** `--help`: the usage on stdout, exit 0. */
export function printHelp(usage: string): number {
  process.stdout.write(`${usage}\n`);
  return EXIT.OK;
}
