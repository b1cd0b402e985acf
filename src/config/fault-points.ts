/** TEST_FAULT_POINTS: the fault points of src/shared/fault-points.ts and the rules that make them act (tests only). */
import { ConfigError } from './config-error';

/** The fault points of src/shared/fault-points.ts, and whether each runs inside a transaction. */
export const FAULT_POINTS = {
  'refund.intent': { inTransaction: true },
  'refund.psp-answered': { inTransaction: false },
  'refund.outcome': { inTransaction: true },
  'webhook.stored': { inTransaction: false },
  'webhook.apply': { inTransaction: true },
  'outbox.claim': { inTransaction: true },
  'outbox.handled': { inTransaction: false },
} as const;
export type FaultPointName = keyof typeof FAULT_POINTS;
export type FaultAction = 'crash' | 'dberror';
export interface FaultPointRule {
  point: FaultPointName;
  action: FaultAction;
  /** Acts on the hit-th time the point is reached in this process's life (1 = the first). */
  hit: number;
}

/**
 * TEST_FAULT_POINTS: "name=crash#N,name2=dberror#M". crash is a SIGKILL of the process; dberror runs
 * a statement that fails in the point's transaction, so it is refused at points outside one.
 */
export function parseFaultPoints(spec: string | undefined): FaultPointRule[] {
  const rules: FaultPointRule[] = [];
  for (const part of (spec ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z.-]+)=(crash|dberror)#([1-9]\d{0,8})$/.exec(part);
    if (!m) throw new ConfigError(`TEST_FAULT_POINTS entry "${part}" must look like name=crash#N or name=dberror#N (N ≥ 1)`);
    const point = m[1] as FaultPointName;
    if (!(point in FAULT_POINTS)) throw new ConfigError(`TEST_FAULT_POINTS: unknown fault point "${m[1]}" (known: ${Object.keys(FAULT_POINTS).join(', ')})`);
    const action = m[2] as FaultAction;
    if (action === 'dberror' && !FAULT_POINTS[point].inTransaction) {
      throw new ConfigError(`TEST_FAULT_POINTS: "${point}" runs outside a transaction, so dberror is not possible there (only crash)`);
    }
    rules.push({ point, action, hit: Number(m[3]) });
  }
  return rules;
}
