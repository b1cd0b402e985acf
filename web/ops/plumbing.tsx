import { useEffect, useState } from 'preact/hooks';
import { can, gql, userErrorText, type Viewer, when } from './api';

interface Dead {
  id: string;
  topic: string;
  orderId: string | null;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}
interface Hook {
  id: string;
  source: string;
  eventId: string;
  eventType: string | null;
  status: string;
  error: string | null;
  signatureValid: boolean;
  attempts: number;
  receivedAt: string;
  nextAttemptAt: string | null;
  waitingFor: string | null;
}

const DEAD = `query OpsDead { outboxMessages(filter: { status: [DEAD] }, first: 100) { nodes { id topic orderId attempts lastError updatedAt } } }`;
const HOOKS = `query OpsHooks { webhookEvents(filter: { status: [RECEIVED, REJECTED, FAILED, WAITING, DEAD] }, first: 100) {
  nodes { id source eventId eventType status error signatureValid attempts receivedAt nextAttemptAt waitingFor } } }`;
const RETRY_HOOKS = `mutation OpsRetryHooks($ids: [ID!]!) { retryWebhookEvents(input: { ids: $ids }) { retried { id eventId status error waitingFor } userErrors { message } } }`;
const RETRY = `mutation OpsRetry($ids: [ID!]) { retryOutboxMessages(input: { ids: $ids }) { retried { id } userErrors { message } } }`;

function DeadLetters({ viewer }: { viewer: Viewer }) {
  const [rows, setRows] = useState<Dead[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = () =>
    gql<{ outboxMessages: { nodes: Dead[] } }>(DEAD)
      .then((d) => setRows(d.outboxMessages.nodes))
      .catch((err: Error) => setMessage(err.message));
  useEffect(() => void load(), []);
  const retry = async (ids: string[]) => {
    try {
      const r = await gql<{ retryOutboxMessages: { retried: { id: string }[]; userErrors: { message: string }[] } }>(RETRY, { ids });
      setMessage(userErrorText(r.retryOutboxMessages.userErrors) ?? `Put back in the queue: ${r.retryOutboxMessages.retried.length}`);
      await load();
    } catch (err) {
      setMessage((err as Error).message);
    }
  };
  const mayRetry = can(viewer, 'RETRY_OUTBOX');
  return (
    <section aria-label="Outbox dead letters">
      <h3>
        Outbox dead letters{' '}
        {mayRetry && rows && rows.length > 0 && (
          <button type="button" onClick={() => retry(rows.map((r) => r.id))}>
            Retry all {rows.length}
          </button>
        )}
      </h3>
      {message && (
        <p role="status" class="status">
          {message}
        </p>
      )}
      {rows && (
        <table data-testid="dead-letters">
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col">Order</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last error</th>
              <th scope="col">Since</th>
              {mayRetry && <th scope="col">Retry</th>}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={6}>No dead letters: the outbox owes nothing it gave up on.</td>
              </tr>
            )}
            {rows.map((r) => (
              <tr>
                <td>{r.topic}</td>
                <td>{r.orderId ? <a href={`#/order/${encodeURIComponent(r.orderId)}`}>{r.orderId}</a> : '—'}</td>
                <td class="num">{r.attempts}</td>
                <td>{r.lastError ?? '—'}</td>
                <td>{when(r.updatedAt)}</td>
                {mayRetry && (
                  <td>
                    <button type="button" onClick={() => retry([r.id])}>
                      Retry
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface RetriedEvent {
  id: string;
  eventId: string;
  status: string;
  error: string | null;
  waitingFor: string | null;
}

/** One sentence per retried event: applied, or why not. */
const outcome = (e: RetriedEvent): string =>
  e.status === 'PROCESSED' ? `${e.eventId}: applied` : `${e.eventId}: ${e.status}${e.waitingFor ? ` (waits for ${e.waitingFor})` : e.error ? ` (${e.error})` : ''}`;

function Webhooks({ viewer }: { viewer: Viewer }) {
  const [rows, setRows] = useState<Hook[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const load = () =>
    gql<{ webhookEvents: { nodes: Hook[] } }>(HOOKS)
      .then((d) => setRows(d.webhookEvents.nodes))
      .catch((err: Error) => setError(err.message));
  useEffect(() => void load(), []);
  const mayRetry = can(viewer, 'RETRY_WEBHOOKS');
  const retry = async (ids: string[]) => {
    if (busy || ids.length === 0) return;
    setBusy(true);
    try {
      const r = await gql<{ retryWebhookEvents: { retried: RetriedEvent[]; userErrors: { message: string }[] } }>(RETRY_HOOKS, { ids });
      setMessage(userErrorText(r.retryWebhookEvents.userErrors) ?? `Retried ${r.retryWebhookEvents.retried.length}: ${r.retryWebhookEvents.retried.map(outcome).join('; ')}`);
      setSelected(new Set());
      await load();
    } catch (err) {
      setMessage((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <section aria-label="Webhook events not applied">
      <h3>
        Webhook events not applied or rejected{' '}
        {mayRetry && rows && rows.length > 0 && (
          <button type="button" disabled={busy || selected.size === 0} onClick={() => retry([...selected])}>
            Retry selected ({selected.size})
          </button>
        )}
      </h3>
      <p class="hint">
        The retry worker applies waiting and failed events again at their next attempt; dead and rejected ones wait for a person.{' '}
        {mayRetry ? 'Retry applies an event now, as the worker would: a claim the upstream must confirm still waits for it.' : ''}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {message && (
        <p role="status" class="status" data-testid="webhook-retry-outcome">
          {message}
        </p>
      )}
      {rows && (
        <table data-testid="webhook-events">
          <thead>
            <tr>
              {mayRetry && <th scope="col">Select</th>}
              <th scope="col">Source</th>
              <th scope="col">Event</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Why</th>
              <th scope="col">Received</th>
              <th scope="col">Next attempt</th>
              {mayRetry && <th scope="col">Retry</th>}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={mayRetry ? 9 : 7}>Every event received was applied.</td>
              </tr>
            )}
            {rows.map((r) => (
              <tr data-event-id={r.eventId}>
                {mayRetry && (
                  <td>
                    <input type="checkbox" aria-label={`Select ${r.eventId}`} checked={selected.has(r.id)} onChange={(e) => toggle(r.id, (e.target as HTMLInputElement).checked)} />
                  </td>
                )}
                <td>{r.source}</td>
                <td>{r.eventId}</td>
                <td>{r.eventType ?? '—'}</td>
                <td>
                  {r.status}
                  {r.signatureValid ? '' : ' (bad signature)'}
                </td>
                <td>{r.waitingFor ? `waits for ${r.waitingFor}` : (r.error ?? '—')}</td>
                <td>{when(r.receivedAt)}</td>
                <td>{when(r.nextAttemptAt)}</td>
                {mayRetry && (
                  <td>
                    <button type="button" disabled={busy} aria-label={`Retry ${r.eventId}`} onClick={() => retry([r.id])}>
                      Retry
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Plumbing({ viewer }: { viewer: Viewer }) {
  return (
    <>
      <h2>Plumbing</h2>
      {can(viewer, 'READ_OUTBOX') && <DeadLetters viewer={viewer} />}
      {can(viewer, 'READ_WEBHOOKS') && <Webhooks viewer={viewer} />}
    </>
  );
}
