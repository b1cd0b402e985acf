import { AppServices } from '../db/context';
import type { Worker } from '../modules';
import { OutboxWorker } from './outbox.worker';

export function registerOutbox(app: AppServices, workers: Worker[]): void {
  workers.push(new OutboxWorker(app));
}
