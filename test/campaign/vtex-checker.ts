/**
 * The invariants of the VTEX campaign (OMS=vtex), checked per order after a round has healed and
 * settled. VTEX refunds a return (Input) invoice by itself, so moneygraph must observe and
 * reconcile, never pay. The truth is the simulators' state: the VTEX simulator's orders, packages
 * and VTEX Payments refunds (and, for each refund, the return it answered, which VTEX's answers do
 * not say), the in-house PSP's refunds, the ERP's postings; moneygraph is read through GraphQL
 * (the outbox, which no query exposes, from the database).
 *
 *   i.no-money-moved     no refund at the PSP simulator for the order (whatever its status); every
 *                        moneygraph refund of the order is one VTEX made (origin PSP, a VTEX refund
 *                        id) — none REQUESTED/SUBMITTED/SUCCEEDED/FAILED of moneygraph's own making;
 *                        every refundInvoice / creditPaymentMethod an admin sent was answered with
 *                        no refund and OMS_REFUNDS_ITSELF.
 *   ii.view-equals-vtex  moneygraph's invoices are VTEX's packages (number, kind, amount); each
 *                        settled VTEX refund is one SUCCEEDED refund of the ledger with its amount,
 *                        and the ledger holds no SUCCEEDED refund VTEX does not; per return invoice,
 *                        what the ledger allocated to it is what VTEX refunded for it; moneygraph's
 *                        invoiceData copy equals the ledger.
 *   iii.exceptions       every return VTEX did not fully refund has an open exception naming it
 *                        (INPUT_INVOICE_NOT_REFUNDED, seed 000) and none VTEX refunded does; and
 *                        pendingRefunds lists nothing for moneygraph to refund (pending 0, what VTEX
 *                        still owes as unrefundedByOms, nextAction never REFUND).
 *   iv.nothing-in-flight no webhook event of the order unapplied (RECEIVED, FAILED, WAITING, DEAD),
 *                        no outbox message not DONE, no refund in flight, no Feed v3 item of the
 *                        order left uncommitted.
 *   v.invoice-data-absent invoiceData says the OMS keeps no copy (omsKeepsCopy false, inSync null,
 *                        every entry's omsRefunded and inSync null): absent, not "in sync".
 *   vi.erp-postings      one ERP REFUND posting per VTEX refund, with its amount; none for anything else.
 *   vi.reconciliation    the reconciliation of each day a VTEX refund of the order was made on shows
 *                        no variance for the order.
 */
import type { Connection } from 'mysql2/promise';
import type { Simulators, VtexSimulator } from '../../src/simulators';
import { gqlRead, orderIdOfEvent } from './clients';
import type { Violation } from './workload';

const VTEX_ORDER_CHECK = `query($id: ID!) { order(id: $id) {
  id
  invoices { id kind amount { amount } }
  invoiceData { omsKeepsCopy inSync entries { invoiceId inSync refunded { amount } refundIds omsRefunded { amount } } }
  refunds { id status kind origin invoiceId pspRefundId merchantTransactionId errorCode amount { amount } }
  exceptions { id kind status detail evidence { invoiceReference refundId pspRefundId } }
  pendingRefunds { nextAction invoices { invoiceId nextAction pending { amount } unrefundedByOms { amount } } }
} }`;

const RECON = `query($from: DateTimeISO!, $to: DateTimeISO!, $after: String) { reconciliationReport(from: $from, to: $to) {
  variances(first: 100, after: $after) { nodes { refundId kind recordIn orderId pspStatus erpStatus amountDelta { amount } } pageInfo { hasNextPage endCursor } } } }`;

const UNAPPLIED_EVENTS = `query($after: String) { webhookEvents(filter: { status: [RECEIVED, FAILED, WAITING, DEAD] }, first: 100, after: $after) {
  nodes { source eventId eventType status error payload receivedAt } pageInfo { hasNextPage endCursor } } }`;

/** An admin's attempt to move money for a VTEX order, as the service answered it. */
export interface VtexAttempt {
  operation: 'refundInvoice' | 'creditPaymentMethod';
  key: string;
  refundId: string | null;
  codes: string[];
}

/** Everything known about one order after the round: the truth (simulators) and moneygraph's view. */
export interface VtexOrderFacts {
  orderId: string;
  vtex: {
    packages: { type: 'Output' | 'Input'; invoiceNumber: string; invoiceValue: number }[];
    /** VTEX Payments' refunds of the order's transaction, with the return each answered. */
    refunds: { id: string; value: number; status: string; invoiceNumber: string | null }[];
    feedLeft: string[];
  };
  pspRefunds: { refundId: string; status: string; amount: bigint | null }[];
  erpRefundPostings: { externalRef: string; amount: bigint; documentId: string }[];
  /** The answer of VTEX_ORDER_CHECK (null: moneygraph does not know the order). */
  order: any;
  unappliedEvents: string[];
  outbox: { topic: string; dedupe_key: string; status: string; attempts: number; last_error: string | null }[];
  attempts: VtexAttempt[];
  /** Reconciliation variances of the order in the days its VTEX refunds were made on. */
  variances: string[];
}

/** "12.34" → 1234n. */
function minorOf(decimal: string): bigint {
  const neg = decimal.startsWith('-');
  const [w = '', f = ''] = decimal.replace('-', '').split('.');
  const v = BigInt(w) * 100n + BigInt((f + '00').slice(0, 2));
  return neg ? -v : v;
}

const SETTLED = new Set(['finished', 'refunded', 'settled', 'approved']);
const OPEN = new Set(['OPEN', 'DECIDED']);
const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

/** The invariants of one order; pure, so each can be shown to fail on a hand-made state. */
export function checkVtexOrder(f: VtexOrderFacts): { invariant: string; detail: string }[] {
  const out: { invariant: string; detail: string }[] = [];
  const v = (invariant: string, detail: string) => out.push({ invariant, detail });
  const o = f.order;
  const refunds: any[] = o?.refunds ?? [];
  const amt = (r: any) => minorOf(r.amount.amount);
  const settled = f.vtex.refunds.filter((r) => SETTLED.has(r.status.toLowerCase()));
  const vtexIds = new Set(f.vtex.refunds.map((r) => r.id));
  const inputs = f.vtex.packages.filter((p) => p.type === 'Input');
  if (!o) v('ii.view-equals-vtex', 'VTEX holds this order but moneygraph does not know it after healing');

  // i. moneygraph never moved money for a VTEX order.
  for (const p of f.pspRefunds) v('i.no-money-moved', `the PSP holds refund ${p.refundId} (${p.status}, ${p.amount ?? '-'} minor) for a VTEX order`);
  for (const r of refunds) {
    if (r.origin !== 'PSP' || !r.pspRefundId || !vtexIds.has(r.pspRefundId))
      v('i.no-money-moved', `moneygraph refund ${r.id} (${r.origin}, ${r.status}, ${amt(r)} minor, PSP id ${r.pspRefundId ?? 'none'}) is not one VTEX made`);
  }
  for (const a of f.attempts) {
    if (a.refundId || !a.codes.includes('OMS_REFUNDS_ITSELF'))
      v(
        'i.no-money-moved',
        `${a.operation} (key ${a.key}) was answered ${a.refundId ? `with refund ${a.refundId}` : 'without a refund'} and codes [${a.codes.join(', ')}], not refused with OMS_REFUNDS_ITSELF`,
      );
  }

  // ii. moneygraph's view equals VTEX's.
  if (o) {
    const mine = new Map<string, any>(o.invoices.map((i: any) => [i.id, i]));
    for (const p of f.vtex.packages) {
      const m = mine.get(p.invoiceNumber);
      const kind = p.type === 'Input' ? 'INPUT' : 'OUTPUT';
      if (!m) v('ii.view-equals-vtex', `VTEX invoice ${p.invoiceNumber} (${p.type}, ${p.invoiceValue} cents) is missing at moneygraph`);
      else if (m.kind !== kind || minorOf(m.amount.amount) !== BigInt(p.invoiceValue))
        v('ii.view-equals-vtex', `invoice ${p.invoiceNumber}: VTEX ${p.type} ${p.invoiceValue} cents, moneygraph ${m.kind} ${m.amount.amount}`);
    }
    for (const id of mine.keys()) if (!f.vtex.packages.some((p) => p.invoiceNumber === id)) v('ii.view-equals-vtex', `moneygraph holds invoice ${id}, VTEX has no such package`);
  }
  const byPsp = new Map<string, any[]>();
  for (const r of refunds) if (r.pspRefundId) byPsp.set(r.pspRefundId, [...(byPsp.get(r.pspRefundId) ?? []), r]);
  for (const r of settled) {
    const rs = byPsp.get(r.id) ?? [];
    if (rs.length !== 1 || rs[0].status !== 'SUCCEEDED' || amt(rs[0]) !== BigInt(r.value))
      v(
        'ii.view-equals-vtex',
        `VTEX refund ${r.id} (${r.value} cents, for ${r.invoiceNumber ?? 'no return'}) is held by moneygraph as [${rs.map((x) => `${x.id} ${x.status} ${amt(x)}`).join(', ')}]`,
      );
  }
  for (const r of refunds)
    if (r.status === 'SUCCEEDED' && !settled.some((x) => x.id === r.pspRefundId))
      v('ii.view-equals-vtex', `moneygraph refund ${r.id} is SUCCEEDED; VTEX has no settled refund ${r.pspRefundId}`);
  for (const p of inputs) {
    const vtexSum = BigInt(settled.filter((r) => r.invoiceNumber === p.invoiceNumber).reduce((s, r) => s + r.value, 0));
    const ledger = refunds.filter((r) => r.status === 'SUCCEEDED' && r.invoiceId === p.invoiceNumber);
    if (sum(ledger.map(amt)) !== vtexSum)
      v(
        'ii.view-equals-vtex',
        `return ${p.invoiceNumber}: VTEX refunded ${vtexSum} cents for it, moneygraph's ledger allocates ${sum(ledger.map(amt))} [${ledger.map((r) => r.pspRefundId).join(', ')}]`,
      );
  }
  const entries: any[] = o?.invoiceData?.entries ?? [];
  for (const p of inputs) {
    const ledger = refunds.filter((r) => r.status === 'SUCCEEDED' && r.invoiceId === p.invoiceNumber);
    const e = entries.find((x) => x.invoiceId === p.invoiceNumber);
    const ids = ledger
      .map((r) => r.id)
      .sort()
      .join(',');
    if (o && (!e || minorOf(e.refunded.amount) !== sum(ledger.map(amt)) || [...e.refundIds].sort().join(',') !== ids))
      v(
        'ii.view-equals-vtex',
        `moneygraph invoiceData of ${p.invoiceNumber}: ${e ? `${e.refunded.amount} [${e.refundIds.join(',')}]` : 'none'}, ledger ${sum(ledger.map(amt))} [${ids}]`,
      );
  }

  // iii. the returns VTEX did not refund are raised, the others not; nothing is pending for moneygraph.
  const exceptions: any[] = (o?.exceptions ?? []).filter((x: any) => OPEN.has(x.status));
  for (const p of inputs) {
    const refunded = settled.filter((r) => r.invoiceNumber === p.invoiceNumber).reduce((s, r) => s + r.value, 0);
    const naming = exceptions.filter((x) => x.evidence?.invoiceReference === p.invoiceNumber);
    if (refunded < p.invoiceValue && !naming.length)
      v('iii.exceptions', `return ${p.invoiceNumber} (${p.invoiceValue} cents) was refunded ${refunded} by VTEX; no open exception names it`);
    const wrong = naming.filter((x) => x.kind === 'INPUT_INVOICE_NOT_REFUNDED');
    if (refunded >= p.invoiceValue && wrong.length)
      v('iii.exceptions', `return ${p.invoiceNumber} was refunded by VTEX, yet exception ${wrong[0].id} (${wrong[0].kind}) says it was not`);
  }
  if (o) {
    const pr = o.pendingRefunds;
    if (pr.nextAction === 'REFUND') v('iii.exceptions', 'pendingRefunds says moneygraph should refund (nextAction REFUND) a VTEX order');
    for (const p of inputs) {
      const i = pr.invoices.find((x: any) => x.invoiceId === p.invoiceNumber);
      const owed = BigInt(p.invoiceValue) - BigInt(settled.filter((r) => r.invoiceNumber === p.invoiceNumber).reduce((s, r) => s + r.value, 0));
      const want = owed > 0n ? owed : 0n;
      if (!i || minorOf(i.pending.amount) !== 0n || i.nextAction === 'REFUND' || !i.unrefundedByOms || minorOf(i.unrefundedByOms.amount) !== want)
        v(
          'iii.exceptions',
          `pendingRefunds of ${p.invoiceNumber}: ${i ? `pending ${i.pending.amount}, unrefundedByOms ${i.unrefundedByOms?.amount ?? 'null'}, ${i.nextAction}` : 'not listed'}; VTEX still owes ${want}`,
        );
    }
  }

  // iv. nothing in flight.
  for (const r of refunds) if (r.status === 'REQUESTED' || r.status === 'SUBMITTED') v('iv.nothing-in-flight', `refund ${r.id} still ${r.status}`);
  for (const e of f.unappliedEvents) v('iv.nothing-in-flight', `webhook event not applied: ${e}`);
  for (const m of f.outbox)
    v(
      'iv.nothing-in-flight',
      `outbox message ${m.topic} ${m.dedupe_key} is ${m.status} after ${m.attempts} attempt(s)${m.last_error ? `: ${String(m.last_error).slice(0, 200)}` : ''}`,
    );
  for (const c of f.vtex.feedLeft) v('iv.nothing-in-flight', `Feed v3 item of change ${c} never committed`);

  // v. invoiceData: the OMS copy is absent, not "in sync".
  if (o) {
    const d = o.invoiceData;
    if (d.omsKeepsCopy !== false || d.inSync !== null) v('v.invoice-data-absent', `invoiceData says omsKeepsCopy ${d.omsKeepsCopy}, inSync ${d.inSync}`);
    for (const e of entries)
      if (e.omsRefunded !== null || e.inSync !== null)
        v('v.invoice-data-absent', `invoiceData entry ${e.invoiceId}: omsRefunded ${JSON.stringify(e.omsRefunded)}, inSync ${e.inSync}`);
  }

  // vi. one ERP posting per VTEX refund, with its amount.
  for (const r of settled) {
    const docs = f.erpRefundPostings.filter((p) => p.externalRef === r.id);
    if (docs.length !== 1 || docs[0]!.amount !== BigInt(r.value))
      v('vi.erp-postings', `VTEX refund ${r.id} (${r.value} cents): the ERP holds [${docs.map((d) => `${d.documentId}=${d.amount}`).join(', ')}]`);
  }
  for (const p of f.erpRefundPostings)
    if (!settled.some((r) => r.id === p.externalRef))
      v('vi.erp-postings', `ERP REFUND posting ${p.documentId} (${p.externalRef}, ${p.amount}) matches no VTEX refund of the order`);
  for (const x of f.variances) v('vi.reconciliation', x);
  return out;
}

export interface VtexCheckInput {
  seed: number;
  round: number;
  serviceUrl: string;
  sims: Simulators;
  vtex: VtexSimulator;
  db: Connection;
  orderIds: string[];
  attempts: Map<string, VtexAttempt[]>;
}

/** Gathers each order's facts and checks them. */
export async function checkVtexRound(c: VtexCheckInput): Promise<Violation[]> {
  const unapplied = new Map<string, string[]>();
  for (let after: string | null = null; ;) {
    const d: any = await gqlRead(c.serviceUrl, 'ADMIN', UNAPPLIED_EVENTS, { after });
    for (const e of d.webhookEvents.nodes) {
      let oid: string | null = null;
      try {
        const body = JSON.parse(e.payload);
        oid = body?.data?.orderId ?? orderIdOfEvent(body);
      } catch {
        /* unparsable: not ours to attribute */
      }
      if (oid) unapplied.set(oid, [...(unapplied.get(oid) ?? []), `${e.source} ${e.eventType} ${e.eventId} ${e.status}${e.error ? ` (${e.error})` : ''} received ${e.receivedAt}`]);
    }
    if (!d.webhookEvents.pageInfo.hasNextPage) break;
    after = d.webhookEvents.pageInfo.endCursor;
  }
  const [rows] = c.orderIds.length
    ? await c.db.query(`SELECT order_id, topic, dedupe_key, status, attempts, last_error FROM outbox_message WHERE order_id IN (?) AND status <> 'DONE'`, [c.orderIds])
    : [[]];
  // The reconciliation of each day a VTEX refund of these orders was made on (VTEX's time).
  const days = new Set<string>();
  for (const id of c.orderIds) for (const r of c.vtex.refundsOf(id)) days.add(new Date(Date.parse(r.date.replace(/(\.\d{3})\d+/, '$1'))).toISOString().slice(0, 10));
  const variances = new Map<string, string[]>();
  for (const day of days) {
    const from = `${day}T00:00:00.000Z`;
    const to = new Date(Date.parse(from) + 86_400_000).toISOString();
    for (let after: string | null = null; ;) {
      const d: any = await gqlRead(c.serviceUrl, 'FINANCE', RECON, { from, to, after });
      for (const n of d.reconciliationReport.variances.nodes)
        if (n.orderId)
          variances.set(n.orderId, [
            ...(variances.get(n.orderId) ?? []),
            `reconciliation of ${day} shows ${n.kind} for refund ${n.refundId} (in ${n.recordIn}; ledger ${n.pspStatus ?? '-'}, ERP ${n.erpStatus ?? '-'}, delta ${n.amountDelta.amount})`,
          ]);
      if (!d.reconciliationReport.variances.pageInfo.hasNextPage) break;
      after = d.reconciliationReport.variances.pageInfo.endCursor;
    }
  }
  const out: Violation[] = [];
  for (const orderId of c.orderIds) {
    const so = c.vtex.orders.get(orderId);
    const facts: VtexOrderFacts = {
      orderId,
      vtex: {
        packages: (so?.packages ?? []).map((p) => ({ type: p.type, invoiceNumber: p.invoiceNumber, invoiceValue: p.invoiceValue })),
        refunds: c.vtex.refundsOf(orderId).map((r) => ({ id: r.id, value: r.value, status: r.status, invoiceNumber: c.vtex.invoiceOfRefund(r.id) })),
        feedLeft: c.vtex.hook.feedOf(orderId),
      },
      pspRefunds: [...c.sims.psp.state.refunds.values()].filter((r) => r.orderId === orderId).map((r) => ({ refundId: r.refundId, status: r.status, amount: r.amount })),
      erpRefundPostings: [...c.sims.erp.state.postings.values()]
        .filter((p) => p.orderId === orderId && p.kind === 'REFUND')
        .map((p) => ({ externalRef: p.externalRef, amount: p.amount, documentId: p.documentId })),
      order: (await gqlRead(c.serviceUrl, 'ADMIN', VTEX_ORDER_CHECK, { id: orderId })).order,
      unappliedEvents: unapplied.get(orderId) ?? [],
      outbox: (rows as any[]).filter((x) => x.order_id === orderId),
      attempts: c.attempts.get(orderId) ?? [],
      variances: variances.get(orderId) ?? [],
    };
    for (const x of checkVtexOrder(facts)) out.push({ seed: c.seed, round: c.round, orderId, ...x });
  }
  return out;
}
