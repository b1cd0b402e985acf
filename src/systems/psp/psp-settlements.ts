/**
 * Settlement batches a PSP announces rather than sends whole (a Stripe `payout.paid`): the
 * announcement is a claim, so the batch and its lines are read from the PSP's own record, outside
 * any transaction, and recorded once. The same reading serves the pull path, which records every
 * batch a PSP closed since a given time that is not recorded yet.
 */
import type { RequestContext } from '../../db/context';
import { withTransaction } from '../../db/transaction';
import { NotApplicableYet } from '../../core/not-applicable-yet';
import type { PspPort } from './psp-port';
import { recordSettlement } from './psp.store';

async function isRecorded(ctx: RequestContext, settlementId: string): Promise<boolean> {
  const [row]: unknown[] = await ctx.manager.query('SELECT 1 FROM psp_settlement WHERE id = ?', [settlementId]);
  return row !== undefined;
}

/** Reads the batch from the PSP and records it; false when the PSP holds no such closed batch. Throws UpstreamError when it cannot be asked. */
async function readAndRecord(ctx: RequestContext, psp: PspPort, settlementId: string, markApplied?: (tx: RequestContext, note: string) => Promise<void>): Promise<boolean> {
  const s = await psp.getSettlement?.(ctx, settlementId);
  if (!s) return false;
  await withTransaction(ctx, async (tx) => {
    await recordSettlement(tx, s);
    await markApplied?.(tx, `the PSP's record of settlement ${s.id}: ${s.lines.length} line(s)`);
  });
  return true;
}

/**
 * Inside the webhook's transaction: a batch already recorded changes nothing (a replay, or the
 * pull path got there first); otherwise the event waits for the PSP's record, read at once.
 */
export async function applySettlementReported(tx: RequestContext, settlementId: string, adapterId: string): Promise<void> {
  if (await isRecorded(tx, settlementId)) return;
  throw new NotApplicableYet(
    `settlement:${settlementId}`,
    `settlement ${settlementId} was announced by PSP adapter "${adapterId}": recorded from its own record`,
    async (ctx, markApplied) => {
      const psp = ctx.app.connectors.pspAdapters.get(adapterId);
      if (!psp?.getSettlement) return false;
      return readAndRecord(ctx, psp, settlementId, markApplied);
    },
  );
}

/** The pull path: every batch each PSP that can list them closed since `since`, recorded unless it already is. Returns the ids recorded now. */
export async function pullSettlements(ctx: RequestContext, since: Date): Promise<string[]> {
  const recorded: string[] = [];
  for (const psp of ctx.app.connectors.pspAdapters.all) {
    if (!psp.listSettlements) continue;
    for (const id of await psp.listSettlements(ctx, since)) {
      if (!(await isRecorded(ctx, id)) && (await readAndRecord(ctx, psp, id))) recorded.push(id);
    }
  }
  return recorded;
}
