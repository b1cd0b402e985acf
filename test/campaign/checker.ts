/**
 * The invariants, checked per order after a round has healed and settled. The truth of money moved
 * is the simulators' state (the live state maps of the in-process simulators: what GET /_state
 * serialises; the PSP's through its driver, whichever PSP took the payments); moneygraph is read through its GraphQL API as ADMIN/FINANCE. Only the outbox has no
 * query yet: it is read from the database directly (marked below).
 */
import type { Connection } from 'mysql2/promise';
import type { Simulators } from '../../src/simulators';
import { gqlRead, orderIdOfEvent } from './clients';
import type { PspDriver } from './psp-driver';
import type { Violation } from './workload';

const ORDER_CHECK = `query($id: ID!) { order(id: $id) {
  id
  invoices { id kind amount { amount } }
  invoiceData { entries { invoiceId kind refunded { amount } refundIds omsRefunded { amount } } }
  refunds { id status kind origin invoiceId pspRefundId merchantTransactionId errorCode amount { amount } }
  exceptions { id kind status observed detail evidence { invoiceReference refundId pspRefundId } }
} }`;

const UNAPPLIED_EVENTS = `query($after: String) { webhookEvents(filter: { status: [RECEIVED, FAILED, WAITING, DEAD] }, first: 100, after: $after) {
  nodes { source eventId eventType status error payload receivedAt } pageInfo { hasNextPage endCursor } } }`;

const RECON = `query($from: DateTimeISO!, $to: DateTimeISO!, $after: String) { reconciliationReport(from: $from, to: $to) {
  status varianceCount variances(first: 100, after: $after) { nodes { refundId kind recordIn orderId pspStatus erpStatus amountDelta { amount } }
  pageInfo { hasNextPage endCursor } } } }`;

/** "12.34" → 1234n (EUR: two decimals). */
function minorOf(decimal: string): bigint {
  const neg = decimal.startsWith('-');
  const [w = '', f = ''] = decimal.replace('-', '').split('.');
  const v = BigInt(w) * 100n + BigInt((f + '00').slice(0, 2));
  return neg ? -v : v;
}

const OPEN = new Set(['OPEN', 'DECIDED']);

export interface CheckInput {
  seed: number;
  round: number;
  serviceUrl: string;
  sims: Simulators;
  db: Connection;
  orderIds: string[];
  /** The ERP double-posted by design (fault nonIdempotent) during the round. */
  erpNonIdempotent: boolean;
  /** The PSP the round's payments were taken by: its own records are the truth of money moved. */
  psp: PspDriver;
}

export async function checkRound(c: CheckInput): Promise<Violation[]> {
  const out: Violation[] = [];
  const v = (orderId: string, invariant: string, detail: string) => out.push({ seed: c.seed, round: c.round, orderId, invariant, detail });
  const { sims } = c;

  // g (webhooks): every stored event not PROCESSED/REJECTED, attributed to its order.
  const unapplied = new Map<string, string[]>();
  for (let after: string | null = null; ;) {
    const d: any = await gqlRead(c.serviceUrl, 'ADMIN', UNAPPLIED_EVENTS, { after });
    for (const e of d.webhookEvents.nodes) {
      let oid: string | null = null;
      try {
        oid = orderIdOfEvent(JSON.parse(e.payload));
      } catch {
        /* unparsable: not ours to attribute */
      }
      if (!oid) continue;
      unapplied.set(oid, [...(unapplied.get(oid) ?? []), `${e.source} ${e.eventType} ${e.eventId} ${e.status}${e.error ? ` (${e.error})` : ''} received ${e.receivedAt}`]);
    }
    if (!d.webhookEvents.pageInfo.hasNextPage) break;
    after = d.webhookEvents.pageInfo.endCursor;
  }

  // g (outbox): no GraphQL query exposes the outbox yet, so it is read from the database directly.
  const [outboxRows] = c.orderIds.length
    ? await c.db.query(`SELECT order_id, topic, dedupe_key, status, attempts, last_error FROM outbox_message WHERE order_id IN (?) AND status <> 'DONE'`, [c.orderIds])
    : [[]];

  // h: the reconciliation of each day a PSP refund of these orders was created on (PSP time).
  const pspRefundsOf = (orderId: string) => c.psp.refundsOf(orderId);
  const days = new Set<string>();
  for (const id of c.orderIds) for (const r of pspRefundsOf(id)) days.add(r.createdAt.slice(0, 10));
  const variances = new Map<string, any[]>();
  for (const day of days) {
    const from = `${day}T00:00:00.000Z`;
    const to = new Date(Date.parse(from) + 86_400_000).toISOString();
    for (let after: string | null = null; ;) {
      const d: any = await gqlRead(c.serviceUrl, 'FINANCE', RECON, { from, to, after });
      for (const n of d.reconciliationReport.variances.nodes) variances.set(n.refundId, [...(variances.get(n.refundId) ?? []), { ...n, day }]);
      if (!d.reconciliationReport.variances.pageInfo.hasNextPage) break;
      after = d.reconciliationReport.variances.pageInfo.endCursor;
    }
  }

  for (const orderId of c.orderIds) {
    const d: any = await gqlRead(c.serviceUrl, 'ADMIN', ORDER_CHECK, { id: orderId });
    const order = d.order;
    if (!order) v(orderId, 'order-known', 'the OMS holds this order but moneygraph does not know it after healing');
    const mgRefunds: any[] = order?.refunds ?? [];
    const exceptions: any[] = (order?.exceptions ?? []).filter((x: any) => OPEN.has(x.status));
    const psp = pspRefundsOf(orderId);
    const pspSucceeded = psp.filter((r) => r.status === 'SUCCEEDED');
    const mgSucceeded = mgRefunds.filter((r) => r.status === 'SUCCEEDED');
    const omsInvoices = [...sims.oms.state.invoices.values()].filter((i) => i.orderId === orderId && i.kind === 'INPUT');
    const amt = (r: any) => minorOf(r.amount.amount);

    // a. The PSP's SUCCEEDED refunds and moneygraph's, one to one by PSP refund id, same amounts.
    const mgByPsp = new Map<string, any[]>();
    for (const r of mgRefunds) if (r.pspRefundId) mgByPsp.set(r.pspRefundId, [...(mgByPsp.get(r.pspRefundId) ?? []), r]);
    for (const [pid, rs] of mgByPsp)
      if (rs.length > 1) v(orderId, 'a.one-to-one', `PSP refund ${pid} is recorded by ${rs.length} moneygraph refunds: ${rs.map((r) => `${r.id} ${r.status}`).join(', ')}`);
    for (const p of pspSucceeded) {
      const mine = mgByPsp.get(p.refundId)?.[0];
      if (!mine || mine.status !== 'SUCCEEDED') {
        v(
          orderId,
          'a.one-to-one',
          `PSP refund ${p.refundId} (${p.amount} minor, mtid ${p.merchantTransactionId}) is SUCCEEDED at the PSP; moneygraph ${mine ? `holds it as ${mine.status}${mine.errorCode ? ` ${mine.errorCode}` : ''} (refund ${mine.id})` : 'does not have it'}`,
        );
      } else if (amt(mine) !== p.amount) {
        v(orderId, 'a.one-to-one', `PSP refund ${p.refundId}: PSP amount ${p.amount}, moneygraph ${amt(mine)} (refund ${mine.id})`);
      }
    }
    for (const r of mgSucceeded) {
      const p = r.pspRefundId ? c.psp.refund(r.pspRefundId) : undefined;
      if (!p || p.status !== 'SUCCEEDED') {
        v(
          orderId,
          'a.one-to-one',
          `moneygraph refund ${r.id} is SUCCEEDED (${amt(r)} minor, PSP id ${r.pspRefundId ?? 'none'}); the PSP ${p ? `holds it as ${p.status}` : 'has no such refund'}`,
        );
      }
    }

    // b. No invoice refunded above its amount, at the PSP or in moneygraph's ledger.
    for (const inv of omsInvoices) {
      const atPsp = pspSucceeded.filter((r) => r.invoiceNumber === inv.number).reduce((s, r) => s + (r.amount ?? 0n), 0n);
      const inLedger = mgSucceeded.filter((r) => r.invoiceId === inv.number).reduce((s, r) => s + amt(r), 0n);
      if (atPsp > inv.amount)
        v(
          orderId,
          'b.no-over-refund',
          `invoice ${inv.number} (${inv.amount} minor) refunded ${atPsp} at the PSP: ${pspSucceeded
            .filter((r) => r.invoiceNumber === inv.number)
            .map((r) => `${r.refundId}=${r.amount} (${r.merchantTransactionId})`)
            .join(', ')}`,
        );
      if (inLedger > inv.amount) v(orderId, 'b.no-over-refund', `invoice ${inv.number} (${inv.amount} minor) refunded ${inLedger} in moneygraph's ledger`);
    }

    // c. Every INPUT invoice fully refunded at the PSP, unless an open exception names it.
    for (const inv of omsInvoices) {
      const atPsp = pspSucceeded.filter((r) => r.invoiceNumber === inv.number).reduce((s, r) => s + (r.amount ?? 0n), 0n);
      if (atPsp >= inv.amount) continue;
      const refundIdsOfInvoice = new Set(mgRefunds.filter((r) => r.invoiceId === inv.number).flatMap((r) => [r.id, r.pspRefundId].filter(Boolean)));
      const explained = exceptions.find(
        (x) => x.evidence?.invoiceReference === inv.number || refundIdsOfInvoice.has(x.evidence?.refundId) || refundIdsOfInvoice.has(x.evidence?.pspRefundId),
      );
      if (!explained) {
        v(
          orderId,
          'c.input-invoice-refunded',
          `return invoice ${inv.number} demands ${inv.amount} minor; the PSP refunded ${atPsp}; no open exception of the order explains it (moneygraph refunds of it: ${
            mgRefunds
              .filter((r) => r.invoiceId === inv.number)
              .map((r) => `${r.id} ${r.status}${r.errorCode ? ` ${r.errorCode}` : ''}`)
              .join(', ') || 'none'
          })`,
        );
      }
    }

    // d. Both invoiceData copies equal the ledger, per invoice.
    const omsCopy = sims.oms.state.invoiceData.get(orderId)?.entries ?? [];
    for (const inv of omsInvoices) {
      const ledger = mgSucceeded.filter((r) => r.invoiceId === inv.number);
      const sum = ledger.reduce((s, r) => s + amt(r), 0n);
      const ids = ledger
        .map((r) => r.id)
        .sort()
        .join(',');
      const mine = order?.invoiceData.entries.find((e: any) => e.invoiceId === inv.number);
      const mineSum = mine ? minorOf(mine.refunded.amount) : 0n;
      const mineIds = mine ? [...mine.refundIds].sort().join(',') : '';
      if (mineSum !== sum || mineIds !== ids) v(orderId, 'd.invoice-data', `moneygraph invoiceData of ${inv.number}: ${mineSum} [${mineIds}], ledger ${sum} [${ids}]`);
      const oms = omsCopy.find((e) => e.invoiceNumber === inv.number);
      const omsSum = oms?.refunded ?? 0n;
      const omsIds = oms ? [...oms.refundIds].sort().join(',') : '';
      if (omsSum !== sum || omsIds !== ids) v(orderId, 'd.invoice-data', `OMS invoiceData of ${inv.number}: ${omsSum} [${omsIds}], ledger ${sum} [${ids}]`);
    }

    // e. One ERP posting per PSP refund id with its amount, reversals netted, no duplicates.
    const postings = [...sims.erp.state.postings.values()].filter((p) => p.orderId === orderId && p.kind === 'REFUND');
    const byRef = new Map<string, typeof postings>();
    for (const p of postings) byRef.set(p.externalRef, [...(byRef.get(p.externalRef) ?? []), p]);
    const pspIds = new Set(psp.map((r) => r.refundId));
    for (const [ref, docs] of byRef) {
      const base = ref.replace(/:reversal$/, '');
      if (!pspIds.has(base))
        v(
          orderId,
          'e.erp-postings',
          `ERP REFUND posting ${docs.map((d) => d.documentId).join(', ')} with externalRef ${ref} (${docs.map((d) => d.amount).join(', ')}) matches no PSP refund of the order`,
        );
      if (docs.length > 1) {
        const named = exceptions.some((x) => x.kind === 'ERP_DUPLICATE_POSTING' && (x.evidence?.pspRefundId === base || String(x.detail).includes(base)));
        // A non-idempotent ERP double-posts whatever the client does; moneygraph must then say so (seed 002).
        if (!(c.erpNonIdempotent && named)) {
          v(
            orderId,
            'e.erp-postings',
            `ERP holds ${docs.length} documents for externalRef ${ref}: ${docs.map((d) => `${d.documentId}=${d.amount}`).join(', ')}${c.erpNonIdempotent ? ' (ERP was non-idempotent; no open ERP_DUPLICATE_POSTING exception names it)' : ''}`,
          );
        }
      }
    }
    for (const p of psp) {
      if (p.amount === null || p.amount === 0n) continue;
      const first = (ref: string) => byRef.get(ref)?.[0]?.amount ?? 0n;
      const net = first(p.refundId) + first(`${p.refundId}:reversal`);
      const expected = p.status === 'SUCCEEDED' ? p.amount : 0n;
      if (net !== expected) {
        v(
          orderId,
          'e.erp-postings',
          `PSP refund ${p.refundId} is ${p.status} (${p.amount} minor); the ERP nets ${net} for it (${
            postings
              .filter((x) => x.externalRef.startsWith(p.refundId))
              .map((x) => `${x.externalRef}=${x.amount}`)
              .join(', ') || 'no posting'
          })`,
        );
      } else if (p.status === 'SUCCEEDED' && byRef.has(`${p.refundId}:reversal`)) {
        v(orderId, 'e.erp-postings', `PSP refund ${p.refundId} is SUCCEEDED but the ERP holds a reversal for it`);
      }
    }

    // f. A "Refund Payment" interaction at the OMS for every refund that succeeded.
    const interactions = [...sims.oms.state.interactions.values()].filter((i) => i.orderId === orderId && i.kind === 'Refund Payment');
    for (const r of mgSucceeded) {
      if (!interactions.some((i) => i.refundId === r.id))
        v(orderId, 'f.refund-interaction', `no "Refund Payment" interaction at the OMS for refund ${r.id} (PSP ${r.pspRefundId})`);
    }

    // g. Nothing left in flight: refunds, webhook events, outbox messages.
    for (const r of mgRefunds)
      if (r.status === 'REQUESTED' || r.status === 'SUBMITTED') v(orderId, 'g.nothing-in-flight', `refund ${r.id} still ${r.status} (mtid ${r.merchantTransactionId})`);
    for (const e of unapplied.get(orderId) ?? []) v(orderId, 'g.nothing-in-flight', `webhook event not applied: ${e}`);
    for (const m of (outboxRows as any[]).filter((x) => x.order_id === orderId)) {
      v(
        orderId,
        'g.nothing-in-flight',
        `outbox message ${m.topic} ${m.dedupe_key} is ${m.status} after ${m.attempts} attempt(s)${m.last_error ? `: ${String(m.last_error).slice(0, 200)}` : ''}`,
      );
    }

    // h. Every PSP refund of the order reconciles in its own period (the day of its PSP createdAt).
    for (const p of psp) {
      if (p.neverMoved) continue; // a rejection: no money ever moved
      for (const x of variances.get(p.refundId) ?? []) {
        v(
          orderId,
          'h.reconciliation',
          `reconciliation of ${x.day} shows ${x.kind} for PSP refund ${p.refundId} (${p.status} at the PSP; moneygraph ${x.pspStatus ?? '-'}, ERP ${x.erpStatus ?? '-'}, delta ${x.amountDelta.amount})`,
        );
      }
    }
  }
  return out;
}
