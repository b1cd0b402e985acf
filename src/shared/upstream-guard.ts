/**
 * What every upstream call goes through, whatever speaks the wire (our HttpClient, a vendor's SDK):
 * a circuit breaker per upstream that opens after consecutive unknown-outcome failures, retries
 * (only when repeating the call is safe) outside it so each attempt meets the breaker, and an
 * observation of every attempt and of every call the open circuit refused, for the metrics.
 */
import { BrokenCircuitError, CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, retry, wrap } from 'cockatiel';
import { RETRY_BACKOFF_INITIAL_MS, RETRY_BACKOFF_MAX_MS } from './upstream-bounds';

/** One attempt at an upstream call, as the metrics see it: its outcome is one of a fixed set. */
export interface UpstreamCall {
  system: string;
  method: string;
  outcome: 'ok' | 'http_4xx' | 'http_5xx' | 'timeout' | 'network' | 'circuit_open';
  seconds: number;
}

export type AttemptOutcome = Exclude<UpstreamCall['outcome'], 'circuit_open'>;

/** The circuit breaker's state, as the metrics name it. */
export type CircuitStateName = 'closed' | 'open' | 'half_open' | 'isolated';
const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

/** How a guarded call's failures are read: the outcome of an attempt, and whether it leaves the upstream's action unknown. */
export interface FailureReading {
  /** The metrics outcome of a failed attempt (an answer the caller accepts is 'ok', 'http_4xx' or 'http_5xx' by its status). */
  outcome(err: unknown): AttemptOutcome;
  /** Timeout, network, 5xx: counts towards opening the circuit, and is retried when the call is safe to repeat. */
  unknown(err: unknown): boolean;
}

export interface UpstreamGuardOptions {
  breakerThreshold?: number;
  halfOpenAfterMs?: number;
}

export class UpstreamGuard {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly observers: ((call: UpstreamCall) => void)[] = [];

  constructor(
    /** The metrics' system label. */
    readonly system: string,
    private readonly reading: FailureReading,
    opts: UpstreamGuardOptions = {},
  ) {
    this.breaker = circuitBreaker(
      handleWhen((e) => reading.unknown(e)),
      { halfOpenAfter: opts.halfOpenAfterMs ?? 5_000, breaker: new ConsecutiveBreaker(opts.breakerThreshold ?? 5) },
    );
  }

  /** Called after every attempt (each retry is one), and for each call the open circuit refused. */
  observe(observer: (call: UpstreamCall) => void): void {
    this.observers.push(observer);
  }

  get circuitState(): CircuitStateName {
    return STATE_NAMES[this.breaker.state];
  }

  private report(method: string, outcome: UpstreamCall['outcome'], started: bigint): void {
    const call = { system: this.system, method, outcome, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    for (const o of this.observers) o(call);
  }

  /**
   * Runs `attempt` through the breaker, up to `retries` more times while its failure leaves the
   * outcome unknown (the caller passes 0 unless repeating is safe: a read, or the same idempotency
   * key). `answered` names the outcome of a resolved attempt (an accepted 4xx is still a 4xx).
   * An open circuit throws `onOpen()`'s error at once, without an attempt.
   */
  async run<T>(method: string, retries: number, attempt: () => Promise<T>, onOpen: () => Error, answered: (v: T) => AttemptOutcome = () => 'ok'): Promise<T> {
    const policy =
      retries > 0
        ? wrap(
            retry(
              handleWhen((e) => this.reading.unknown(e)),
              { maxAttempts: retries, backoff: new ExponentialBackoff({ initialDelay: RETRY_BACKOFF_INITIAL_MS, maxDelay: RETRY_BACKOFF_MAX_MS }) },
            ),
            this.breaker,
          )
        : this.breaker;
    const started = process.hrtime.bigint();
    try {
      return await policy.execute(async () => {
        const t = process.hrtime.bigint();
        try {
          const v = await attempt();
          this.report(method, answered(v), t);
          return v;
        } catch (err) {
          this.report(method, this.reading.outcome(err), t);
          throw err;
        }
      });
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        this.report(method, 'circuit_open', started);
        throw onOpen();
      }
      throw err;
    }
  }
}
