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

function Webhooks() {
  const [rows, setRows] = useState<Hook[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gql<{ webhookEvents: { nodes: Hook[] } }>(HOOKS)
      .then((d) => setRows(d.webhookEvents.nodes))
      .catch((err: Error) => setError(err.message));
  }, []);
  return (
    <section aria-label="Webhook events not applied">
      <h3>Webhook events not applied or rejected</h3>
      <p class="hint">The retry worker applies waiting and failed events again at their next attempt; rejected ones (bad signature, bad body) are never applied.</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {rows && (
        <table data-testid="webhook-events">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Event</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Why</th>
              <th scope="col">Received</th>
              <th scope="col">Next attempt</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={7}>Every event received was applied.</td>
              </tr>
            )}
            {rows.map((r) => (
              <tr>
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
      {can(viewer, 'READ_WEBHOOKS') && <Webhooks />}
    </>
  );
}
