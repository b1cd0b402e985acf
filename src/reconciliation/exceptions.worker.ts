import { AppServices, RequestContext } from '../db/context';
import { refreshExceptions } from './exceptions.service';
import { PeriodicWorker } from '../shared/periodic-worker';

/** Keeps the exception list current between queries, so ages and windows are true when nobody asks. */
export class ExceptionsWorker extends PeriodicWorker {
  constructor(private readonly app: AppServices) {
    super('exception refresh', app.logger, 0);
  }

  async tick(): Promise<number> {
    await refreshExceptions(RequestContext.system(this.app));
    return this.retryDelayMs();
  }

  protected retryDelayMs(): number {
    return this.app.config.exceptions.refreshIntervalSeconds * 1000;
  }
}
