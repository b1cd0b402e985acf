import { PALETTE } from './chart';

export const OWNERS = ['COMMERCE', 'OMS', 'PAYMENTS', 'FINANCE'];
const AGE_BUCKETS: [string, number][] = [
  ['< 5 min', 300],
  ['5–60 min', 3600],
  ['1–24 h', 86400],
  ['1–7 days', 7 * 86400],
  ['> 7 days', Infinity],
];

interface Aged {
  status: string;
  owner: string;
  ageSeconds: number;
}

/** The open exceptions by age bucket, stacked by owner. */
export function ageChart(rows: Aged[]) {
  const open = rows.filter((r) => r.status === 'OPEN');
  const bucket = (s: number) => AGE_BUCKETS.findIndex(([, max]) => s < max);
  return {
    type: 'bar' as const,
    data: {
      labels: AGE_BUCKETS.map(([l]) => l),
      datasets: OWNERS.map((owner, i) => ({
        label: owner,
        backgroundColor: PALETTE[i],
        data: AGE_BUCKETS.map((_, b) => open.filter((r) => r.owner === owner && bucket(r.ageSeconds) === b).length),
      })),
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { position: 'bottom' as const } } },
  };
}
