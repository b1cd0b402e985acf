import { AppServices, RequestContext } from '../db/context';
import type { Worker } from '../modules';
import { refreshExceptions } from './exceptions.service';

/** Keeps the exception list current between queries, so ages and windows are true when nobody asks. */
export class ExceptionsWorker implements Worker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly app: AppServices) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.app.config.exceptions.refreshIntervalSeconds * 1000);
    this.timer.unref();
    this.tick();
  }

  private tick(): void {
    this.running = this.running
      .then(() => refreshExceptions(RequestContext.system(this.app)))
      .catch((err) => this.app.logger.error({ err }, 'exception refresh failed'));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

export function registerReconciliation(app: AppServices, workers: Worker[]): void {
  workers.push(new ExceptionsWorker(app));
}
