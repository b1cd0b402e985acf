/** Owner decisions on money exceptions: who decided what, when and why, kept in the exception's decision history with its audit row. */
import { RequestContext } from '../db/context';
import { lockOrder, withTransaction } from '../db/transaction';
import { writeAudit } from '../audit';
import { BusinessError, ErrorCode, ForbiddenError, InputError } from '../shared/errors';
import { hasPermission } from '../shared/permissions';
import { truncate } from '../shared/text';
import { insertRow } from '../db/upsert';
import { MoneyExceptionEntity } from './entities';
import { DECISION_PERMISSION, decisionRejection, ExceptionDecision, ExceptionResolution, MoneyExceptionStatus } from './exception-kinds';
import { ensureFresh } from './exceptions.refresh';
import { holdOrder, releaseOrder } from './holds';
import { sql } from './sql';

export interface DecideInput {
  exceptionId: string;
  decision: ExceptionDecision;
  note: string;
}

/**
 * Records an owner decision with who, when and why, in one transaction with its audit row, under
 * the order's lock. HOLD_AND_ESCALATE holds the order (automated refunds and recovery skip it);
 * RELEASE_HOLD lifts the hold once no other held exception of the order remains.
 */
export interface DecideResult {
  exception: MoneyExceptionEntity | null;
  userErrors: BusinessError[];
}

export async function decideException(ctx: RequestContext, input: DecideInput): Promise<DecideResult> {
  const note = input.note.trim();
  if (note.length === 0) throw new InputError('A decision needs a note saying why', 'input.note');
  if (note.length > 1024) throw new InputError('The note is limited to 1024 characters', 'input.note');
  if (!hasPermission(ctx.actor.role, DECISION_PERMISSION[input.decision])) {
    throw new ForbiddenError(`Role ${ctx.actor.role} may not decide ${input.decision}`);
  }
  await ensureFresh(ctx);
  const args = { ...input, note };
  try {
    const exception = await withTransaction(ctx, async (tx) => {
      const repo = tx.manager.getRepository(MoneyExceptionEntity);
      const first = await repo.findOne({ where: { id: input.exceptionId } });
      if (!first) throw new BusinessError(ErrorCode.EXCEPTION_NOT_FOUND, `No exception ${input.exceptionId}`, ['input', 'exceptionId']);
      if (first.orderId) await lockOrder(tx, first.orderId);
      const ex = await repo.createQueryBuilder('x').setLock('pessimistic_write').where({ id: input.exceptionId }).getOneOrFail();
      if (ex.status === MoneyExceptionStatus.RESOLVED) {
        throw new BusinessError(ErrorCode.EXCEPTION_ALREADY_RESOLVED, `Exception ${ex.id} is already resolved`, ['input', 'exceptionId']);
      }
      const why = decisionRejection(ex, input.decision);
      if (why) throw new BusinessError(ErrorCode.DECISION_NOT_ALLOWED, why, ['input', 'decision']);

      const now = tx.now;
      const patch: Partial<MoneyExceptionEntity> = {
        decision: input.decision,
        decidedBy: truncate(tx.actor.subject, 128),
        decidedAt: now,
        decisionNote: note,
      };
      if (input.decision === ExceptionDecision.CLOSE) {
        Object.assign(patch, { status: MoneyExceptionStatus.RESOLVED, resolution: ExceptionResolution.CLOSED, resolvedAt: now });
      } else if (input.decision === ExceptionDecision.RELEASE_HOLD) {
        // Released: back to awaiting a decision, or resolved at once if the condition already cleared.
        Object.assign(
          patch,
          ex.observed ? { status: MoneyExceptionStatus.OPEN } : { status: MoneyExceptionStatus.RESOLVED, resolution: ExceptionResolution.AUTO, resolvedAt: now },
        );
      } else {
        patch.status = MoneyExceptionStatus.DECIDED;
      }
      await repo.update({ id: ex.id }, patch);
      await insertRow(tx, 'money_exception_decision', {
        exception_id: ex.id,
        decision: input.decision,
        decided_by: patch.decidedBy,
        role: tx.actor.role,
        decided_at: now,
        note,
        previous_status: ex.status,
        previous_decision: ex.decision,
        status: patch.status,
      });

      if (ex.orderId && input.decision === ExceptionDecision.HOLD_AND_ESCALATE) {
        await holdOrder(tx, { orderId: ex.orderId, exceptionId: ex.id, note: `${ex.kind}: ${note}` });
      } else if (ex.orderId && input.decision === ExceptionDecision.RELEASE_HOLD) {
        const [other] = await sql<{ id: string }>(
          tx,
          `SELECT id FROM money_exception WHERE order_id = :orderId AND id <> :id AND status = 'DECIDED' AND decision = 'HOLD_AND_ESCALATE' LIMIT 1`,
          { orderId: ex.orderId, id: ex.id },
        );
        if (other) await sql(tx, 'UPDATE order_hold SET exception_id = :other WHERE order_id = :orderId', { other: other.id, orderId: ex.orderId });
        else await releaseOrder(tx, ex.orderId);
      }
      await writeAudit(tx, { operation: 'decideException', args, orderId: ex.orderId, outcome: `DECIDED:${input.decision}` });
      return repo.findOneOrFail({ where: { id: ex.id } });
    });
    return { exception, userErrors: [] };
  } catch (err) {
    if (!(err instanceof BusinessError)) throw err;
    // The refusal is audited too; it changes nothing else.
    await writeAudit(ctx, { operation: 'decideException', args, orderId: null, outcome: `REJECTED:${err.code}` });
    const current = await ctx.manager.getRepository(MoneyExceptionEntity).findOne({ where: { id: input.exceptionId } });
    return { exception: current, userErrors: [err] };
  }
}
