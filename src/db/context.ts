/**
 * RequestContext travels as the first argument of every service call. A transaction rides on a
 * copy of it, so code below a use case cannot accidentally write outside the unit of work.
 */
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import type { Logger } from 'pino';
import { Config } from '../config';
import { Actor, SYSTEM_ACTOR } from '../shared/actor';
import { Clock } from '../shared/clock';
import { newRequestId } from '../shared/ids';
import { Hooks } from '../shared/hooks';

/** Process-wide services. Built once at start-up; nothing here is per request. */
export interface AppServices {
  readonly config: Config;
  readonly dataSource: DataSource;
  readonly logger: Logger;
  readonly clock: Clock;
  /** In-transaction hooks between modules. */
  readonly hooks: Hooks;
  /** Upstream connectors and other singletons registered by modules at start-up. */
  readonly registry: Map<string, unknown>;
}

export class RequestContext {
  constructor(
    readonly app: AppServices,
    readonly actor: Actor,
    readonly requestId: string = newRequestId(),
    readonly tx?: EntityManager,
  ) {}

  static system(app: AppServices, requestId?: string): RequestContext {
    return new RequestContext(app, SYSTEM_ACTOR, requestId);
  }

  /** The manager to use: the transaction's when inside one. */
  get manager(): EntityManager {
    return this.tx ?? this.app.dataSource.manager;
  }

  get inTransaction(): boolean {
    return this.tx !== undefined;
  }

  withTx(tx: EntityManager): RequestContext {
    return new RequestContext(this.app, this.actor, this.requestId, tx);
  }

  get log(): Logger {
    return this.app.logger.child({ requestId: this.requestId });
  }

  get now(): Date {
    return this.app.clock.now();
  }
}

export function repo<T extends ObjectLiteral>(ctx: RequestContext, entity: EntityTarget<T>): Repository<T> {
  return ctx.manager.getRepository(entity);
}

/** Connectors call this first: an upstream call must never hold a row lock. */
export function assertNoTransaction(ctx: RequestContext, what: string): void {
  if (ctx.inTransaction) throw new Error(`${what} must not be called inside a database transaction`);
}
