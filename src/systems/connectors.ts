/** The upstream connectors, built once per process from the configuration and shared by every module. */
import { AppServices } from '../db/context';
import { ErpConnector } from './erp/erp.connector';
import { OmsConnector } from './oms/oms.connector';
import { PspConnector } from './psp/psp.connector';

export interface Connectors {
  psp: PspConnector;
  oms: OmsConnector;
  erp: ErpConnector;
}

/**
 * One connector per upstream per AppServices: the circuit breaker's memory of failures must be
 * shared by every caller, or a dead system would still be hammered from each request.
 */
export function connectorsOf(app: AppServices): Connectors {
  const cached = app.registry.get('connectors') as Connectors | undefined;
  if (cached) return cached;
  const u = app.config.upstream;
  const opts = { breakerThreshold: u.breakerThreshold, halfOpenAfterMs: u.breakerHalfOpenMs, retries: u.retries };
  const connectors: Connectors = {
    psp: new PspConnector(u.pspBaseUrl, u.timeoutMs, opts),
    oms: new OmsConnector(u.omsBaseUrl, u.timeoutMs, opts),
    erp: new ErpConnector(u.erpBaseUrl, u.timeoutMs, opts),
  };
  app.registry.set('connectors', connectors);
  return connectors;
}
