import { useEffect, useState } from 'preact/hooks';
import { age, gql, money, type Money, when } from './api';
import { ChartView, PALETTE } from './chart';
import { download, toCsv } from './csv';

interface Run {
  id: string;
  from: string;
  to: string;
  currencyCode: string | null;
  status: 'CLEAN' | 'VARIANCE' | 'NO_EVENTS_ALARM';
  confirmation: string;
  varianceCount: number;
  startedAt: string;
  requestedBy: string;
  totals: { currencyCode: string; netVariance: Money; refunds: number }[];
}
interface Variance {
  refundId: string;
  kind: string;
  recordIn: string;
  orderId: string | null;
  pspAmount: Money | null;
  erpAmount: Money | null;
  amountDelta: Money;
  pspStatus: string | null;
  erpStatus: string | null;
  ageSeconds: number;
}

const RUNS = `query OpsRuns { reconciliationRuns(first: 100) { nodes { id from to currencyCode status confirmation varianceCount startedAt requestedBy totals { currencyCode netVariance { amount currencyCode } refunds } } } }`;
const VARIANCES = `query OpsVariances($id: ID!, $after: String) { reconciliationRun(id: $id) { id variances(first: 100, after: $after) {
  nodes { refundId kind recordIn orderId pspAmount { amount currencyCode } erpAmount { amount currencyCode } amountDelta { amount currencyCode } pspStatus erpStatus ageSeconds }
  pageInfo { hasNextPage endCursor } } } }`;

/** Every variance row of one run, page by page (the API pages them 100 at a time). */
async function allVariances(runId: string): Promise<Variance[]> {
  const out: Variance[] = [];
  let after: string | null = null;
  for (;;) {
    const d: { reconciliationRun: { variances: { nodes: Variance[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } = await gql(VARIANCES, {
      id: runId,
      after,
    });
    const run = d.reconciliationRun;
    if (!run) return out;
    out.push(...run.variances.nodes);
    if (!run.variances.pageInfo.hasNextPage || !run.variances.pageInfo.endCursor) return out;
    after = run.variances.pageInfo.endCursor;
  }
}

function runsChart(runs: Run[]) {
  const ordered = [...runs].reverse();
  const count = (status: Run['status']) => ordered.map((r) => (r.status === status ? 1 : 0));
  return {
    type: 'bar' as const,
    data: {
      labels: ordered.map((r) => new Date(r.startedAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })),
      datasets: [
        { type: 'line' as const, label: 'Variance rows', data: ordered.map((r) => r.varianceCount), borderColor: PALETTE[5], backgroundColor: PALETTE[5], yAxisID: 'y' },
        { type: 'bar' as const, label: 'Positive confirmation', data: count('CLEAN'), backgroundColor: PALETTE[2], yAxisID: 'flag' },
        { type: 'bar' as const, label: 'No-events alarm', data: count('NO_EVENTS_ALARM'), backgroundColor: PALETTE[1], yAxisID: 'flag' },
      ],
    },
    options: {
      scales: {
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'variance rows' } },
        flag: { position: 'right' as const, min: 0, max: 1, ticks: { stepSize: 1 }, grid: { display: false } },
      },
      plugins: { legend: { position: 'bottom' as const } },
    },
  };
}

export function Reconciliation() {
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [rows, setRows] = useState<Variance[] | null>(null);
  useEffect(() => {
    gql<{ reconciliationRuns: { nodes: Run[] } }>(RUNS)
      .then((d) => setRuns(d.reconciliationRuns.nodes))
      .catch((err: Error) => setError(err.message));
  }, []);
  useEffect(() => {
    setRows(null);
    if (selected) allVariances(selected).then(setRows, (err: Error) => setError(err.message));
  }, [selected]);
  const run = runs?.find((r) => r.id === selected);
  const exportCsv = () => {
    if (!rows || !run) return;
    const csv = toCsv(
      ['refundId', 'orderId', 'kind', 'recordIn', 'pspAmount', 'erpAmount', 'amountDelta', 'currencyCode', 'pspStatus', 'erpStatus', 'ageSeconds'],
      rows.map((v) => [
        v.refundId,
        v.orderId,
        v.kind,
        v.recordIn,
        v.pspAmount?.amount,
        v.erpAmount?.amount,
        v.amountDelta.amount,
        v.amountDelta.currencyCode,
        v.pspStatus,
        v.erpStatus,
        v.ageSeconds,
      ]),
    );
    download(`reconciliation-${run.id}.csv`, csv);
  };
  return (
    <>
      <h2>Reconciliation</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {runs && runs.length === 0 && <p>No checkpoint run yet.</p>}
      {runs && runs.length > 0 && (
        <>
          <ChartView config={runsChart(runs)} label="Checkpoint runs over time: variance rows, positive confirmations and no-events alarms" testId="runs-chart" />
          <table data-testid="runs">
            <caption>Checkpoint runs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Period</th>
                <th scope="col">Status</th>
                <th scope="col">Variance rows</th>
                <th scope="col">Net variance</th>
                <th scope="col">Confirmation</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr aria-selected={r.id === selected}>
                  <td>
                    <button type="button" class="link" onClick={() => setSelected(r.id)}>
                      {when(r.startedAt)}
                    </button>
                  </td>
                  <td>
                    {when(r.from)} – {when(r.to)}
                  </td>
                  <td>{r.status}</td>
                  <td class="num">{r.varianceCount}</td>
                  <td class="num">{r.totals.map((t) => money(t.netVariance)).join(', ') || '—'}</td>
                  <td>{r.confirmation}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {run && (
        <section aria-label="Run rows">
          <h3>
            Run {run.id}: {run.varianceCount} rows by refund id{' '}
            <button type="button" onClick={exportCsv} disabled={!rows}>
              Export CSV
            </button>
          </h3>
          {rows && (
            <table data-testid="variances">
              <thead>
                <tr>
                  <th scope="col">Refund id</th>
                  <th scope="col">Order</th>
                  <th scope="col">Discrepancy</th>
                  <th scope="col">PSP</th>
                  <th scope="col">ERP</th>
                  <th scope="col">Delta (PSP − ERP)</th>
                  <th scope="col">Age</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((v) => (
                  <tr>
                    <td>{v.refundId}</td>
                    <td>{v.orderId ? <a href={`#/order/${encodeURIComponent(v.orderId)}`}>{v.orderId}</a> : '—'}</td>
                    <td>{v.kind}</td>
                    <td class="num">{money(v.pspAmount)}</td>
                    <td class="num">{money(v.erpAmount)}</td>
                    <td class="num">{money(v.amountDelta)}</td>
                    <td class="num">{age(v.ageSeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}
