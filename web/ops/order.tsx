import { useEffect, useState } from 'preact/hooks';
import { can, gql, money, type Money, type Viewer, when } from './api';
import { RefundForm } from './refund-form';

interface PendingInvoice {
  invoiceId: string;
  amount: Money;
  succeeded: Money;
  inFlight: Money;
  pending: Money;
  invoiceDataRefunded: Money | null;
  omsInvoiceDataRefunded: Money | null;
  drift: boolean;
  omsDrift: boolean;
  nextAction: string;
}
export interface OrderData {
  id: string;
  status: string;
  total: Money;
  createdAt: string;
  invoices: { id: string; kind: string; amount: Money; issuedAt: string }[];
  invoiceData: {
    inSync: boolean;
    entries: { invoiceId: string; kind: string; amount: Money; refunded: Money; omsRefunded: Money | null; inSync: boolean; omsUpdatedAt: string | null }[];
  };
  interactions: { id: string; kind: string; message: string; source: string; refundId: string | null; occurredAt: string }[];
  payments: { id: string; method: string; status: string; disputed: boolean; authorized: Money; createdAt: string }[];
  captures: { id: string; paymentId: string; amount: Money; capturedAt: string }[];
  refunds: { id: string; invoiceId: string | null; amount: Money; status: string; pspRefundId: string | null; reason: string; createdAt: string; updatedAt: string }[];
  erpPostings: { id: string; kind: string; externalRef: string; amount: Money; status: string; postedAt: string }[];
  moneyState: Record<'authorized' | 'captured' | 'refunded' | 'refundInFlight' | 'refundable' | 'pendingRefund' | 'settled', Money>;
  pendingRefunds: { invoices: PendingInvoice[]; totalPending: Money; totalSucceeded: Money; totalInFlight: Money; refundable: Money; drift: boolean; nextAction: string };
}

const M = '{ amount currencyCode }';
const ORDER = `query OpsOrder($id: ID!) { order(id: $id) { id status total ${M} createdAt
  invoices { id kind amount ${M} issuedAt }
  invoiceData { inSync entries { invoiceId kind amount ${M} refunded ${M} omsRefunded ${M} inSync omsUpdatedAt } }
  interactions { id kind message source refundId occurredAt }
  payments { id method status disputed authorized ${M} createdAt }
  captures { id paymentId amount ${M} capturedAt }
  refunds { id invoiceId amount ${M} status pspRefundId reason createdAt updatedAt }
  erpPostings { id kind externalRef amount ${M} status postedAt }
  moneyState { authorized ${M} captured ${M} refunded ${M} refundInFlight ${M} refundable ${M} pendingRefund ${M} settled ${M} }
  pendingRefunds { totalPending ${M} totalSucceeded ${M} totalInFlight ${M} refundable ${M} drift nextAction
    invoices { invoiceId amount ${M} succeeded ${M} inFlight ${M} pending ${M} invoiceDataRefunded ${M} omsInvoiceDataRefunded ${M} drift omsDrift nextAction } } } }`;

/** The newest time a system's records carry: when moneygraph last heard from it about this order. */
const latest = (times: (string | null | undefined)[]): string | null =>
  times
    .filter((t): t is string => Boolean(t))
    .sort()
    .at(-1) ?? null;

function Rows({ caption, head, rows, testId }: { caption: string; head: string[]; rows: (string | number)[][]; testId?: string }) {
  return (
    <table data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {head.map((h) => (
            <th scope="col">{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={head.length}>none</td>
          </tr>
        )}
        {rows.map((r) => (
          <tr>
            {r.map((c) => (
              <td>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Order({ o, viewer, reload }: { o: OrderData; viewer: Viewer; reload: () => void }) {
  const heard = {
    OMS: latest([
      o.createdAt,
      ...o.invoices.map((i) => i.issuedAt),
      ...o.interactions.filter((i) => i.source === 'OMS').map((i) => i.occurredAt),
      ...o.invoiceData.entries.map((e) => e.omsUpdatedAt),
    ]),
    PSP: latest([...o.payments.map((p) => p.createdAt), ...o.captures.map((c) => c.capturedAt), ...o.refunds.map((r) => r.updatedAt)]),
    ERP: latest(o.erpPostings.map((p) => p.postedAt)),
  };
  const pr = o.pendingRefunds;
  const timeline = [...o.interactions].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  return (
    <>
      <h3 data-testid="order-title">
        Order {o.id} · {o.status} · {money(o.total)}
      </h3>
      <div class="systems">
        <section aria-label="OMS" data-testid="oms">
          <h4>OMS</h4>
          <p class="heard">Last heard {when(heard.OMS)}</p>
          <Rows caption="Invoices" head={['Invoice', 'Kind', 'Amount', 'Issued']} rows={o.invoices.map((i) => [i.id, i.kind, money(i.amount), when(i.issuedAt)])} />
          <Rows
            caption={`invoiceData (${o.invoiceData.inSync ? 'in sync' : 'out of sync'})`}
            head={['Invoice', 'Refunded (ours)', 'Refunded (OMS copy)', 'In sync']}
            rows={o.invoiceData.entries.map((e) => [e.invoiceId, money(e.refunded), money(e.omsRefunded), e.inSync ? 'yes' : 'no'])}
          />
        </section>
        <section aria-label="PSP" data-testid="psp">
          <h4>PSP</h4>
          <p class="heard">Last heard {when(heard.PSP)}</p>
          <Rows
            caption="Payments"
            head={['Payment', 'Status', 'Authorized']}
            rows={o.payments.map((p) => [p.id, `${p.status}${p.disputed ? ' (disputed)' : ''}`, money(p.authorized)])}
          />
          <Rows caption="Captures" head={['Capture', 'Amount', 'At']} rows={o.captures.map((c) => [c.id, money(c.amount), when(c.capturedAt)])} />
          <Rows
            caption="Refunds"
            testId="refunds"
            head={['Refund', 'Invoice', 'Amount', 'Status']}
            rows={o.refunds.map((r) => [r.pspRefundId ?? r.id, r.invoiceId ?? '—', money(r.amount), r.status])}
          />
        </section>
        <section aria-label="ERP" data-testid="erp">
          <h4>ERP</h4>
          <p class="heard">Last heard {when(heard.ERP)}</p>
          <Rows caption="Postings" head={['Kind', 'Reference', 'Amount', 'Status']} rows={o.erpPostings.map((p) => [p.kind, p.externalRef, money(p.amount), p.status])} />
        </section>
      </div>
      <section aria-label="Pending refunds" data-testid="pending">
        <h4>
          Pending refund: {money(pr.totalPending)} · next action {pr.nextAction}
          {pr.drift ? ' · invoiceData drift' : ''}
        </h4>
        <Rows
          caption="Per return invoice: pending = amount − succeeded − in flight"
          head={['Invoice', 'Amount', 'Succeeded', 'In flight', 'Pending', 'invoiceData (ours / OMS)', 'Next action']}
          rows={pr.invoices.map((i) => [
            i.invoiceId,
            money(i.amount),
            money(i.succeeded),
            money(i.inFlight),
            money(i.pending),
            `${money(i.invoiceDataRefunded)} / ${money(i.omsInvoiceDataRefunded)}${i.drift || i.omsDrift ? ' (drift)' : ''}`,
            i.nextAction,
          ])}
        />
        <p>
          Captured {money(o.moneyState.captured)} · refunded {money(o.moneyState.refunded)} · in flight {money(o.moneyState.refundInFlight)} · refundable now {money(pr.refundable)}{' '}
          · settled {money(o.moneyState.settled)}
        </p>
      </section>
      {can(viewer, 'ISSUE_REFUNDS') && <RefundForm orderId={o.id} invoices={pr.invoices} onDone={reload} />}
      <section aria-label="Interactions">
        <h4>Interaction timeline</h4>
        <ol class="timeline" data-testid="timeline">
          {timeline.map((i) => (
            <li>
              <time>{when(i.occurredAt)}</time> <strong>{i.kind}</strong> ({i.source}) {i.message}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

export function OrderView({ viewer, orderId }: { viewer: Viewer; orderId: string }) {
  const [input, setInput] = useState(orderId);
  const [order, setOrder] = useState<OrderData | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    if (!orderId) return;
    gql<{ order: OrderData | null }>(ORDER, { id: orderId })
      .then((d) => {
        setOrder(d.order);
        setError(null);
      })
      .catch((err: Error) => setError(err.message));
  };
  useEffect(() => {
    setInput(orderId);
    setOrder(undefined);
    load();
  }, [orderId]);
  return (
    <>
      <h2>An order</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          location.hash = `#/order/${encodeURIComponent(input.trim())}`;
        }}
      >
        <label>
          Order id <input name="orderId" value={input} onInput={(e) => setInput((e.target as HTMLInputElement).value)} required />
        </label>
        <button type="submit">Show</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {order === null && <p>No order {orderId} in the OMS.</p>}
      {order && <Order o={order} viewer={viewer} reload={load} />}
    </>
  );
}
