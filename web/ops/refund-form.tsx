import { useState } from 'preact/hooks';
import { gql, money, type Money, newKey, userErrorText } from './api';

const REFUND = `mutation OpsRefund($input: RefundInvoiceInput!) { refundInvoice(input: $input) {
  refund { id status amount { amount currencyCode } pspRefundId errorMessage } userErrors { code message field } } }`;

interface Refundable {
  invoiceId: string;
  pending: Money;
}

/**
 * A refund of one return invoice. The form makes its idempotency key once and sends it with every
 * submission until a refund comes back: a double click, or a retry after a timeout, is one refund.
 */
export function RefundForm({ orderId, invoices, onDone }: { orderId: string; invoices: Refundable[]; onDone: () => void }) {
  const open = invoices.filter((i) => !/^0(\.0+)?$/.test(i.pending.amount));
  const [invoiceId, setInvoiceId] = useState(open[0]?.invoiceId ?? '');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [key, setKey] = useState(() => newKey('ops'));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  // The outcome of the last refund stays on screen after the order reloads with nothing left to refund.
  if (open.length === 0)
    return message ? (
      <p role="status" class="status" data-testid="refund-form">
        {message}
      </p>
    ) : null;
  const chosen = open.find((i) => i.invoiceId === invoiceId) ?? open[0];
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const input = { orderId, invoiceId: chosen?.invoiceId, reason, idempotencyKey: key, ...(amount.trim() ? { amount: amount.trim() } : {}) };
      type Answer = {
        refundInvoice: { refund: { id: string; status: string; amount: Money; errorMessage: string | null } | null; userErrors: { code: string; message: string }[] };
      };
      let r = await gql<Answer>(REFUND, { input });
      // The same key is still being worked on (a double click): ask again shortly for its outcome, with the same key.
      for (let i = 0; i < 20 && r.refundInvoice.userErrors.some((u) => u.code === 'IDEMPOTENCY_KEY_IN_USE'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        r = await gql<Answer>(REFUND, { input });
      }
      const problem = userErrorText(r.refundInvoice.userErrors);
      const refund = r.refundInvoice.refund;
      if (problem) setMessage(problem);
      else if (refund) {
        setMessage(`Refund ${refund.id}: ${refund.status} ${money(refund.amount)}${refund.errorMessage ? ` (${refund.errorMessage})` : ''}`);
        // The next refund is a new one.
        setKey(newKey('ops'));
        setAmount('');
        setReason('');
        onDone();
      }
    } catch (err) {
      setMessage(`${(err as Error).message} — submitting again sends the same key, so it cannot refund twice`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="refund" aria-label="Refund a return invoice" onSubmit={submit} data-testid="refund-form">
      <h4>Refund a return invoice</h4>
      <label>
        Invoice{' '}
        <select value={chosen?.invoiceId} onChange={(e) => setInvoiceId((e.target as HTMLSelectElement).value)}>
          {open.map((i) => (
            <option value={i.invoiceId}>
              {i.invoiceId} ({money(i.pending)} pending)
            </option>
          ))}
        </select>
      </label>
      <label>
        Amount{' '}
        <input
          name="amount"
          inputMode="decimal"
          placeholder={chosen ? `${chosen.pending.amount} (all pending)` : ''}
          value={amount}
          onInput={(e) => setAmount((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        Reason <input name="reason" required maxLength={64} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" aria-busy={busy}>
        Refund
      </button>
      <small>Idempotency key {key}</small>
      {message && (
        <p role="status" class="status">
          {message}
        </p>
      )}
    </form>
  );
}
