import { when } from './api';

export interface DecisionEntry {
  decision: string;
  decidedBy: string;
  role: string;
  decidedAt: string;
  note: string;
  previousStatus: string | null;
  previousDecision: string | null;
  status: string | null;
}

export const HISTORY_FIELDS = 'history { decision decidedBy role decidedAt note previousStatus previousDecision status }';

/** Where a decision moved the exception from and to, when the history knows it. */
function move(d: DecisionEntry): string {
  if (!d.previousStatus) return '';
  const before = d.previousDecision ? `${d.previousStatus} (${d.previousDecision})` : d.previousStatus;
  return ` · ${before} → ${d.status ?? '?'}`;
}

/** Every owner decision on the exception, oldest first. */
export function DecisionHistory({ entries }: { entries: DecisionEntry[] }) {
  return (
    <section aria-label="Decisions" data-testid="decision-history">
      <h4>Decisions</h4>
      {entries.length === 0 ? (
        <p>No decision yet.</p>
      ) : (
        <ol class="timeline">
          {entries.map((d) => (
            <li>
              <time>{when(d.decidedAt)}</time> <strong>{d.decision}</strong> by {d.decidedBy} ({d.role}){move(d)}: “{d.note}”
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
