/**
 * A page of orders reads the lists its selection asks for before the page is answered: each list
 * for every order of the page through its loader, in the one batch the fields would have made
 * themselves (the same statements, no more). The fields of each order then find their lists
 * already answered (PeekableLoader.now) and resolve at once, without a promise per field and
 * order — on an analyst's page, a dozen lists and two money totals for each of up to 100 orders.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { GqlContext, Loaders } from '../graphql/context';
import type { PeekableLoader } from '../graphql/loader-utils';
import { selectedFieldNames } from '../graphql/selection';

type ListLoader =
  | 'invoicesByOrderId'
  | 'invoiceDataByOrderId'
  | 'paymentsByOrderId'
  | 'capturesByOrderId'
  | 'refundsByOrderId'
  | 'settlementLinesByOrderId'
  | 'erpPostingsByOrderId'
  | 'interactionsByOrderId';

const PENDING: readonly ListLoader[] = ['invoicesByOrderId', 'refundsByOrderId', 'invoiceDataByOrderId', 'paymentsByOrderId', 'capturesByOrderId'];

/** The loaders each field of Order reads, by order id (as its resolver does). */
const LISTS_OF_FIELD: Readonly<Record<string, readonly ListLoader[]>> = {
  invoices: ['invoicesByOrderId'],
  invoiceData: ['invoicesByOrderId', 'invoiceDataByOrderId'],
  interactions: ['interactionsByOrderId'],
  payments: ['paymentsByOrderId'],
  captures: ['capturesByOrderId'],
  settlementLines: ['settlementLinesByOrderId'],
  erpPostings: ['erpPostingsByOrderId'],
  refunds: ['refundsByOrderId'],
  pendingRefunds: PENDING,
  moneyState: [...PENDING, 'settlementLinesByOrderId', 'erpPostingsByOrderId'],
};

/** The fields selected on the objects at `path` below the page's orders, whether reached through `nodes` or `edges.node`. */
function selectedOnOrders(info: GraphQLResolveInfo, path: readonly string[] = []): Set<string> {
  return new Set([...selectedFieldNames(info, ['nodes', ...path]), ...selectedFieldNames(info, ['edges', 'node', ...path])]);
}

/**
 * Loads, for `orders`, every list the selection of the page's orders (`nodes` or `edges.node`)
 * reads; and, where their payments' captures are selected, those too, in the same wave of
 * statements (without it, they would wait for the payments and come a wave later).
 */
export async function readListsAhead(gql: GqlContext, orders: readonly { id: string }[], info: GraphQLResolveInfo): Promise<void> {
  if (orders.length === 0) return;
  const needed = new Set<ListLoader>();
  for (const f of selectedOnOrders(info)) for (const l of LISTS_OF_FIELD[f] ?? []) needed.add(l);
  const paymentCaptures = needed.has('paymentsByOrderId') && selectedOnOrders(info, ['payments']).has('captures');
  if (needed.size === 0) return;
  const ids = orders.map((o) => o.id);
  const loaders = gql.loaders as Loaders & Record<ListLoader, PeekableLoader<string, unknown>>;
  // readAhead never rejects: a failed batch leaves its error in the loader's cache, and the field that
  // reads the list then reports it exactly as it would have without reading ahead.
  await Promise.all([paymentCaptures ? loaders.capturesOfPaymentsByOrderId.readAhead(ids) : undefined, ...[...needed].map((l) => loaders[l].readAhead(ids))]);
  if (!paymentCaptures) return;
  // Each payment the statement found gets its captures answered; one it did not find (linked to
  // the order after it ran) is left to its field, which then reads it itself.
  for (const id of ids) {
    const payments = loaders.capturesOfPaymentsByOrderId.peek(id);
    if (payments) for (const [paymentId, captures] of payments) loaders.capturesByPaymentId.answer(paymentId, captures);
  }
}
