import type { Logger } from 'pino';

/** A background job the application starts after listening and stops before closing the pool. */
export interface Worker {
  start(): void;
  stop(): Promise<void>;
}

/**
 * A background loop that never runs two rounds at once and that `stop()` waits for, so a
 * shutdown never cuts a round in half. Each round says how long to wait before the next one.
 */
export abstract class PeriodicWorker implements Worker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
    private readonly firstDelayMs: number,
  ) {}

  /** One round; resolves to the delay before the next. */
  abstract tick(): Promise<number>;

  /** The delay after a round that threw. */
  protected abstract retryDelayMs(): number;

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.firstDelayMs === 0) this.run();
    else this.schedule(this.firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private run(): void {
    this.running = this.tick()
      .catch((err) => {
        this.logger.error({ err, worker: this.name }, `${this.name} round failed`);
        return this.retryDelayMs();
      })
      .then((next) => {
        this.running = undefined;
        this.schedule(next);
      });
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.run(), ms);
    this.timer.unref();
  }
}
