import { FaultRuleError } from './fault-rule';

/** The longest down period POST /_sim/down accepts (10 minutes). */
export const MAX_DOWN_MS = 600_000;

/** A down period as GET /_sim/faults and /_sim/down list it. */
export interface DownPeriod {
  id: string;
  down: {
    ms: number;
    startedAt: string;
    /** When it ends (or ended: DELETE /_sim/down ends it early). */
    endsAt: string;
    active: boolean;
  };
  /** Requests whose connection it destroyed. */
  hits: number;
}

/** Validates the JSON body of POST /_sim/down; answers its `ms`. */
export function parseDownInput(body: unknown): number {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new FaultRuleError('body must be a JSON object');
  const { ms } = body as Record<string, unknown>;
  if (!Number.isInteger(ms) || (ms as number) < 1 || (ms as number) > MAX_DOWN_MS) {
    throw new FaultRuleError(`ms must be an integer between 1 and ${MAX_DOWN_MS}`);
  }
  return ms as number;
}
