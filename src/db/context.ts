/**
 * RequestContext travels as the first argument of every service call. A transaction rides on a
 * copy of it, so code below a use case cannot accidentally write outside the unit of work.
 */
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { Config } from '../config';
import type { Connectors } from '../core/connectors';
import type { Hooks } from '../core/hooks';
import { Actor, SYSTEM_ACTOR } from '../shared/actor';
import { Clock } from '../shared/clock';
import { newRequestId } from '../shared/ids';
import type { StatementPipeline } from './pipeline';

/** Process-wide services. Built once at start-up; nothing here is per request. */
export interface AppServices {
  readonly config: Config;
  readonly dataSource: DataSource;
  readonly logger: Logger;
  readonly clock: Clock;
  /** In-transaction hooks between modules. */
  readonly hooks: Hooks<RequestContext>;
  /** One connector per upstream system, shared by every caller. */
  readonly connectors: Connectors;
  /** The outbox's delivery function for each topic. */
  readonly outboxHandlers: Map<string, OutboxHandler>;
  /** How each system's webhooks are applied. */
  readonly webhookAppliers: Readonly<Partial<Record<WebhookSourceName, WebhookApplier>>>;
  /** Tests only: functions run at named places to stand for a failure there (see TestHooks). */
  readonly testHooks: TestHooks;
}

/** A message of the transactional outbox, as its handler receives it. */
export interface OutboxMessage {
  id: string;
  topic: string;
  dedupeKey: string;
  orderId: string | null;
  payload: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  attempts: number;
}

/** Delivers one outbox message; runs outside any transaction; throwing reschedules it with backoff. */
export type OutboxHandler = (ctx: RequestContext, msg: OutboxMessage) => Promise<void>;

/** The systems that send signed webhooks. */
export type WebhookSourceName = 'OMS' | 'PSP' | 'ERP';

/**
 * How a system applies its webhooks, inside the transaction that marks the event processed.
 * `apply` resolves to the order the event concerns (null if none) and throws WebhookPayloadError
 * for a body that does not fit the contract, or NotApplicableYet (src/core) when it must wait.
 */
export interface WebhookApplier {
  eventTypes: readonly string[];
  apply(tx: RequestContext, type: string, body: unknown): Promise<string | null>;
  /** Keys of records the applied event made known here ("payment:<id>"), beyond its order's. */
  madeKnown?(type: string, body: unknown): string[];
}

/**
 * Tests only, given to createApp: each runs at its place when set, to stand for a failure there.
 * Production code never sets one.
 */
export interface TestHooks {
  /** Inside a refund's outcome transaction, after all of its writes (seed 000's storage error). */
  outcomeWritten?: (tx: RequestContext, refundId: string) => void | Promise<void>;
}

export class RequestContext {
  constructor(
    readonly app: AppServices,
    readonly actor: Actor,
    readonly requestId: string = newRequestId(),
    readonly tx?: EntityManager,
    private readonly pipeline?: StatementPipeline,
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

  withTx(tx: EntityManager, pipeline?: StatementPipeline): RequestContext {
    return new RequestContext(this.app, this.actor, this.requestId, tx, pipeline);
  }

  /**
   * A write whose answer nobody reads: inside a transaction it travels with the transaction's next
   * statement, at the latest with COMMIT (src/db/pipeline.ts); outside one it is sent at once.
   */
  async later(sql: string, params: unknown[]): Promise<void> {
    if (this.tx && this.pipeline) this.pipeline.later(sql, params);
    else await this.manager.query(sql, params);
  }

  get log(): Logger {
    return this.app.logger.child({ requestId: this.requestId });
  }

  get now(): Date {
    return this.app.clock.now();
  }
}

/** Connectors call this first: an upstream call must never hold a row lock. */
export function assertNoTransaction(ctx: RequestContext, what: string): void {
  if (ctx.inTransaction) throw new Error(`${what} must not be called inside a database transaction`);
}
