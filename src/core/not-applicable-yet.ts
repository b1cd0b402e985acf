import type { RequestContext } from '../db/context';

/**
 * Thrown inside a webhook's apply transaction by code that cannot apply the event yet: the record
 * it needs is not known here (its order or payment), or it claims a move backwards that the
 * upstream's own record must confirm first. The transaction rolls back — nothing is applied — and
 * the event is kept WAITING for `waitingFor` ("order:<id>", "payment:<id>", "refund:<id>"): the
 * arrival of that record applies it, and the webhook retry worker tries it again until then.
 * `settle`, when given, runs at once outside any transaction to obtain what is missing (the PSP's
 * record) and apply the event through it, calling `markApplied` inside its own transaction; it
 * resolves to false when it could not (the upstream cannot be asked now).
 */
export class NotApplicableYet extends Error {
  constructor(
    readonly waitingFor: string,
    readonly reason: string,
    readonly settle?: (ctx: RequestContext, markApplied: (tx: RequestContext, note: string) => Promise<void>) => Promise<boolean>,
  ) {
    super(reason);
  }
}
