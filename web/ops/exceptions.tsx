import { useEffect, useState } from 'preact/hooks';
import { age, can, gql, money, type Money, userErrorText, type Viewer, when } from './api';
import { ChartView } from './chart';
import { ageChart, OWNERS } from './exception-age';
import { DecisionHistory, type DecisionEntry, HISTORY_FIELDS } from './exception-history';

const KINDS = [
  'AUTHORIZED_ORDER_NOT_CREATED',
  'CAPTURED_ORDER_CREATION_FAILED',
  'CAPTURED_OMS_REJECTED',
  'CAPTURED_ERP_POSTING_FAILED',
  'REFUNDED_ORDER_LATER_CREATED',
  'SETTLED_NO_ERP_INVOICE',
  'INPUT_INVOICE_NOT_REFUNDED',
  'REFUND_IN_FLIGHT_TOO_LONG',
  'INVOICE_DATA_DRIFT',
  'REFUND_FAILED',
  'REFUND_NOT_POSTED_TO_ERP',
  'ERP_POSTING_WITHOUT_REFUND',
  'ERP_AMOUNT_MISMATCH',
  'ERP_DUPLICATE_POSTING',
  'SETTLEMENT_LINE_WITHOUT_ORDER',
  'REFUND_OUTCOME_IN_DOUBT',
  'WEBHOOK_EVENT_NOT_APPLIED',
];
const WINDOWS = ['MINUTES_0_TO_5', 'MINUTES_5_TO_60', 'BEFORE_SETTLEMENT_CUTOFF', 'AFTER_SETTLEMENT'];
/** The decisions finance may take; the others need DECIDE_ALL (admins). */
const FINANCE_DECISIONS = ['POST_FINANCE_EVIDENCE', 'HOLD_AND_ESCALATE', 'RELEASE_HOLD'];
interface Evidence {
  pspReference: string | null;
  captureId: string | null;
  amount: Money | null;
  captureTimestamp: string | null;
  orderCode: string | null;
  omsStatus: string | null;
  erpPostingStatus: string | null;
  erpDocumentId: string | null;
  invoiceReference: string | null;
  settlementBatchId: string | null;
  refundId: string | null;
  pspRefundId: string | null;
  webhookEventId: string | null;
  webhookReplayable: boolean;
}
interface Decision {
  decision: string;
  decidedBy: string;
  decidedAt: string;
  note: string;
}
export interface MoneyException {
  id: string;
  kind: string;
  status: string;
  owner: string;
  orderId: string | null;
  detail: string;
  occurredAt: string;
  firstDetectedAt: string;
  lastObservedAt: string;
  ageSeconds: number;
  observed: boolean;
  clearedAt: string | null;
  window: string;
  decisionDeadline: string;
  decision: Decision | null;
  resolution: string | null;
  resolvedAt: string | null;
  allowedDecisions: string[];
  evidence: Evidence;
  history: DecisionEntry[];
}

const FIELDS = `id kind status owner orderId detail occurredAt firstDetectedAt lastObservedAt ageSeconds observed clearedAt window decisionDeadline
  decision { decision decidedBy decidedAt note } resolution resolvedAt allowedDecisions ${HISTORY_FIELDS}
  evidence { pspReference captureId amount { amount currencyCode } captureTimestamp orderCode omsStatus erpPostingStatus erpDocumentId invoiceReference settlementBatchId refundId pspRefundId webhookEventId webhookReplayable }`;
const LIST = `query OpsExceptions($filter: MoneyExceptionFilter) { moneyExceptions(filter: $filter, first: 100) { nodes { ${FIELDS} } pageInfo { hasNextPage } } }`;
const DECIDE = `mutation OpsDecide($input: DecideExceptionInput!) { decideException(input: $input) { exception { ${FIELDS} } userErrors { message field } } }`;

function Detail({ x, viewer, onDecided }: { x: MoneyException; viewer: Viewer; onDecided: (x: MoneyException) => void }) {
  const mayTake = x.allowedDecisions.filter((d) => can(viewer, 'DECIDE_ALL') || (can(viewer, 'DECIDE_FINANCE') && FINANCE_DECISIONS.includes(d)));
  const [decision, setDecision] = useState(mayTake[0] ?? '');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setDecision(mayTake[0] ?? ''), [x.id]);
  const decide = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const r = await gql<{ decideException: { exception: MoneyException | null; userErrors: { message: string }[] } }>(DECIDE, { input: { exceptionId: x.id, decision, note } });
      const problem = userErrorText(r.decideException.userErrors);
      if (problem) setMessage(problem);
      else if (r.decideException.exception) {
        setNote('');
        setMessage(`Decided: ${decision}`);
        onDecided(r.decideException.exception);
      }
    } catch (err) {
      setMessage((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const ev = x.evidence;
  const evidence: [string, string | null][] = [
    ['Amount', ev.amount ? money(ev.amount) : null],
    ['PSP reference', ev.pspReference],
    ['Capture', ev.captureId],
    ['Captured at', ev.captureTimestamp && when(ev.captureTimestamp)],
    ['Order code', ev.orderCode],
    ['OMS status', ev.omsStatus],
    ['ERP posting', ev.erpPostingStatus],
    ['ERP document', ev.erpDocumentId],
    ['Invoice', ev.invoiceReference],
    ['Settlement batch', ev.settlementBatchId],
    ['Refund', ev.refundId],
    ['PSP refund', ev.pspRefundId],
    ['Webhook event', ev.webhookEventId && `${ev.webhookEventId}${ev.webhookReplayable ? ' (replayable)' : ''}`],
  ];
  const history: [string, string | null][] = [
    ['Money event', x.occurredAt],
    ['First detected', x.firstDetectedAt],
    ['Last observed', x.lastObservedAt],
    ['No longer observed', x.clearedAt],
    [x.decision ? `Decided ${x.decision.decision} by ${x.decision.decidedBy}` : 'Decided', x.decision?.decidedAt ?? null],
    [`Resolved${x.resolution ? ` (${x.resolution})` : ''}`, x.resolvedAt],
  ];
  return (
    <section class="detail" aria-label="Exception detail" data-testid="exception-detail">
      <h3>{x.kind}</h3>
      <p>{x.detail}</p>
      <p>
        {x.orderId ? <a href={`#/order/${encodeURIComponent(x.orderId)}`}>Order {x.orderId}</a> : 'No order'} · owner {x.owner} · {x.status} · decide before{' '}
        {when(x.decisionDeadline)}
      </p>
      <div class="columns">
        <dl>
          <h4>Evidence</h4>
          {evidence
            .filter(([, v]) => v)
            .map(([k, v]) => (
              <>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </>
            ))}
        </dl>
        <ol class="timeline">
          <h4>History</h4>
          {history
            .filter(([, at]) => at)
            .map(([what, at]) => (
              <li>
                <time>{when(at)}</time> {what}
              </li>
            ))}
        </ol>
      </div>
      <DecisionHistory entries={x.history} />
      {mayTake.length > 0 && (
        <form onSubmit={decide} class="decide" aria-label="Decide">
          <label>
            Decision{' '}
            <select value={decision} onChange={(e) => setDecision((e.target as HTMLSelectElement).value)}>
              {mayTake.map((d) => (
                <option value={d}>{d}</option>
              ))}
            </select>
          </label>
          <label>
            Note <textarea required maxLength={1024} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} rows={2} />
          </label>
          <button type="submit" disabled={busy}>
            Record decision
          </button>
        </form>
      )}
      {message && (
        <p role="status" class="status">
          {message}
        </p>
      )}
    </section>
  );
}

export function Exceptions({ viewer }: { viewer: Viewer }) {
  const [kind, setKind] = useState('');
  const [owner, setOwner] = useState('');
  const [window, setWindow] = useState('');
  const [rows, setRows] = useState<MoneyException[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    const filter = { ...(kind ? { kinds: [kind] } : {}), ...(owner ? { owners: [owner] } : {}), ...(window ? { window } : {}) };
    gql<{ moneyExceptions: { nodes: MoneyException[]; pageInfo: { hasNextPage: boolean } } }>(LIST, { filter })
      .then((d) => {
        setRows(d.moneyExceptions.nodes);
        setMore(d.moneyExceptions.pageInfo.hasNextPage);
        setError(null);
      })
      .catch((err: Error) => setError(err.message));
  }, [kind, owner, window]);
  const choose = (label: string, value: string, set: (v: string) => void, options: string[]) => (
    <label>
      {label}{' '}
      <select aria-label={label} value={value} onChange={(e) => set((e.target as HTMLSelectElement).value)}>
        <option value="">any</option>
        {options.map((o) => (
          <option value={o}>{o}</option>
        ))}
      </select>
    </label>
  );
  const current = rows?.find((r) => r.id === selected);
  return (
    <>
      <h2>Exceptions</h2>
      <form class="filters" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
        {choose('Kind', kind, setKind, KINDS)}
        {choose('Owner', owner, setOwner, OWNERS)}
        {choose('Window', window, setWindow, WINDOWS)}
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {rows && (
        <div class="columns">
          <div class="grow">
            <table data-testid="exception-queue">
              <caption>
                {rows.length} unresolved{more ? ' (the oldest 100)' : ''}, oldest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Order</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Age</th>
                  <th scope="col">Decide before</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr aria-selected={r.id === selected} data-kind={r.kind}>
                    <td>
                      <button type="button" class="link" onClick={() => setSelected(r.id)} title={r.detail}>
                        {r.kind}
                      </button>
                    </td>
                    <td>{r.owner}</td>
                    <td>{r.orderId ? <a href={`#/order/${encodeURIComponent(r.orderId)}`}>{r.orderId}</a> : '—'}</td>
                    <td class="num">{money(r.evidence.amount)}</td>
                    <td class="num">{age(r.ageSeconds)}</td>
                    <td>{when(r.decisionDeadline)}</td>
                    <td>{r.decision ? `${r.status} (${r.decision.decision})` : r.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="side">
            <h3>Open exceptions by age and owner</h3>
            <ChartView config={ageChart(rows)} label="Open exceptions by age bucket, stacked by owner" testId="age-chart" />
          </div>
        </div>
      )}
      {current && <Detail x={current} viewer={viewer} onDecided={(x) => setRows((rs) => rs?.map((r) => (r.id === x.id ? x : r)) ?? null)} />}
    </>
  );
}
