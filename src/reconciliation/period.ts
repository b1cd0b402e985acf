import { Config } from '../config';
import { BusinessError, ErrorCode } from '../shared/errors';

export interface Period {
  from: Date;
  to: Date;
}

/** A period is [from, to): bounded, not inverted, and no longer than RECONCILIATION_MAX_DAYS. */
export function checkPeriod(config: Config, from: Date | null | undefined, to: Date | null | undefined): Period {
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) throw new BusinessError(ErrorCode.INVALID_PERIOD, '`from` is required: periods are bounded', ['from']);
  if (!(to instanceof Date) || Number.isNaN(to.getTime())) throw new BusinessError(ErrorCode.INVALID_PERIOD, '`to` is required: periods are bounded', ['to']);
  if (to.getTime() <= from.getTime()) throw new BusinessError(ErrorCode.INVALID_PERIOD, '`to` must be after `from`', ['to']);
  const days = (to.getTime() - from.getTime()) / 86_400_000;
  if (days > config.reconciliationMaxDays) {
    throw new BusinessError(ErrorCode.PERIOD_TOO_LONG, `A period may span at most ${config.reconciliationMaxDays} days (RECONCILIATION_MAX_DAYS)`, ['to']);
  }
  return { from, to };
}
