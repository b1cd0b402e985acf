import { GraphQLError } from 'graphql';
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

/** Queries have no userErrors: a bad period is BAD_USER_INPUT, with the business code beside it. */
export function checkPeriodForQuery(config: Config, from: Date | null | undefined, to: Date | null | undefined): Period {
  try {
    return checkPeriod(config, from, to);
  } catch (e) {
    if (!(e instanceof BusinessError)) throw e;
    throw new GraphQLError(e.message, { extensions: { code: 'BAD_USER_INPUT', reason: e.code, field: e.field?.join('.') } });
  }
}
