import CircuitBreaker from 'opossum';
import { EscAnswer, EscUnreachableError } from './esc-errors';
import { EscTarget } from './esc-target';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitChange {
  /** The connection's identity (its record id; `default` for the environment's). */
  key: string;
  /** Its name, for people. */
  name: string;
  state: CircuitState;
}

export interface CircuitPolicy {
  resetMs: number;
  errorPercent: number;
  minRequests: number;
}

/** ESC refused at once: its connection's circuit is open (ESC failed too often lately). Nothing was sent. */
export class EscCircuitOpenError extends EscUnreachableError {
  constructor(
    readonly connection: string,
    /** When the circuit lets a trial request through. */
    readonly retryInMs: number,
  ) {
    super(`ESC connection '${connection}' is failing (circuit open): nothing sent; trying again in ${Math.ceil(retryInMs / 1000)} s`, false);
  }
}

/** An answer ESC gave that counts as a failure for the circuit (5xx); carried through the breaker and given back. */
class FailedAnswer extends Error {
  constructor(readonly answer: EscAnswer) {
    super(`HTTP ${answer.status}`);
  }
}

/**
 * A circuit breaker per ESC connection (opossum): when at least `minRequests` requests within
 * 10 s were sent and `errorPercent` of them failed (unreachable, 5xx), the circuit opens and
 * requests on that connection are refused at once (EscCircuitOpenError, nothing sent) for
 * `resetMs`; then one trial request goes through, and its outcome closes the circuit or opens it
 * again. 4xx answers are ESC's word, not a failure. Per process: each worker judges for itself.
 */
export class EscCircuits {
  private readonly breakers = new Map<string, { breaker: CircuitBreaker<[() => Promise<EscAnswer>], EscAnswer>; openedAt: number }>();
  private readonly listeners: Array<(change: CircuitChange) => void> = [];

  constructor(private readonly policy: CircuitPolicy) {}

  /** Calls `send` through the circuit of `target`. */
  async call(target: EscTarget, send: () => Promise<EscAnswer>): Promise<EscAnswer> {
    const entry = this.entryFor(target);
    try {
      return await entry.breaker.fire(async () => {
        const answer = await send();
        if (answer.status >= 500) throw new FailedAnswer(answer);
        return answer;
      });
    } catch (e) {
      if (e instanceof FailedAnswer) return e.answer;
      if ((e as { code?: string }).code === 'EOPENBREAKER') {
        // open: until the trial; half open (a trial in flight): another reset period, not a spin
        const untilTrial = entry.openedAt + this.policy.resetMs - Date.now();
        throw new EscCircuitOpenError(target.name, untilTrial > 0 ? untilTrial : this.policy.resetMs);
      }
      throw e;
    }
  }

  /** The state of every circuit this process has. */
  states(): CircuitChange[] {
    return [...this.breakers.entries()].map(([key, { breaker }]) => ({ key, name: breaker.name, state: stateOf(breaker) }));
  }

  onChange(listener: (change: CircuitChange) => void): void {
    this.listeners.push(listener);
  }

  shutdown(): void {
    for (const { breaker } of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
  }

  private entryFor(target: EscTarget) {
    const key = target.id ?? target.name;
    const existing = this.breakers.get(key);
    if (existing) return existing;
    const breaker = new CircuitBreaker(async (send: () => Promise<EscAnswer>) => send(), {
      name: target.name,
      timeout: false, // the HTTP client bounds each request (the connection's timeout)
      resetTimeout: this.policy.resetMs,
      errorThresholdPercentage: this.policy.errorPercent,
      volumeThreshold: this.policy.minRequests,
      rollingCountTimeout: 10_000,
      rollingCountBuckets: 10,
    });
    const entry = { breaker, openedAt: 0 };
    const announce = (state: CircuitState) => {
      for (const listener of this.listeners) listener({ key, name: target.name, state });
    };
    breaker.on('open', () => {
      entry.openedAt = Date.now();
      announce('open');
    });
    breaker.on('halfOpen', () => announce('half_open'));
    breaker.on('close', () => announce('closed'));
    this.breakers.set(key, entry);
    return entry;
  }
}

function stateOf(breaker: CircuitBreaker<never[], unknown> | CircuitBreaker<[() => Promise<EscAnswer>], EscAnswer>): CircuitState {
  if (breaker.opened) return 'open';
  if (breaker.halfOpen) return 'half_open';
  return 'closed';
}
