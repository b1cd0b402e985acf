import { MoneyExceptionResolver, OrderExceptionsResolver } from './exception.resolver';
import { ReconciliationReportResolver, ReconciliationRunResolver, WritebackValidationResolver } from './reconciliation.resolver';

export const RECONCILIATION_RESOLVERS = [MoneyExceptionResolver, OrderExceptionsResolver, ReconciliationReportResolver, ReconciliationRunResolver, WritebackValidationResolver];
