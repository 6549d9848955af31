import { EscAnswer, EscClient, EscTarget, EscUnreachableError } from '@cam-esc/esc';
import { EscStepKind, requestVerb } from '@cam-esc/flow';
import { EscRequestWithResource } from '@cam-esc/persistence';

/** ESC's answers that say "not now" rather than "no": worth sending again. */
export function isTransient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** A transient answer after which ESC may hold the request all the same: an error inside ESC, or a proxy's before it. 503, 429 and 408 refuse it. */
export function mayHaveApplied(status: number): boolean {
  return status === 500 || status === 502 || status === 504;
}

/** The longest Retry-After honoured: an ESC that asks for more is asked again after this. */
export const MAX_RETRY_AFTER_MS = 15 * 60_000;

/**
 * The wait before attempt `attempt + 1` (attempt 1 was the first send): exponential from `baseMs`,
 * capped at `maxMs`, with full jitter (a random wait up to that, so that many requests refused at
 * once do not come back at once); never shorter than ESC's Retry-After (up to 15 minutes).
 */
export function backoffMs(attempt: number, policy: { baseMs: number; maxMs: number }, retryAfterMs?: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** `freshId`: a create ESC does not hold after an attempt that may have reached it goes again under a new internal id. */
export type ProbeVerdict = { kind: 'accepted'; note: string } | { kind: 'gone'; note: string } | { kind: 'send'; freshId?: boolean };

/**
 * Before a request is sent again after an attempt that may have reached ESC (its answer was
 * lost): ESC is asked whether it has it. A create ESC holds was received (it is not sent twice);
 * one it does not hold goes again under a new internal id; a delete of what ESC no longer has is done. An update or an operation cannot be told by a GET: it
 * is sent again, and ESC's 409 (busy with the first one) then counts as accepted.
 */
export async function probeBeforeResend(esc: EscClient, request: EscRequestWithResource, kind: EscStepKind, target: EscTarget): Promise<ProbeVerdict> {
  const verb = requestVerb(request.operation);
  if (verb !== 'create' && verb !== 'delete') return { kind: 'send' };
  const path = kind.getPath(request.escResource);
  const answer: EscAnswer = await esc.call({ method: 'GET', path }, target);
  if (answer.status === 200) {
    return verb === 'create' ? { kind: 'accepted', note: `an earlier attempt reached ESC (GET ${path} finds ${kind.kind} ${request.escResource.internalId}); not sent again` } : { kind: 'send' };
  }
  if (answer.status === 404) return verb === 'delete' ? { kind: 'gone', note: `an earlier attempt reached ESC (GET ${path}: 404)` } : { kind: 'send', freshId: true };
  throw new EscUnreachableError(`ESC answered ${answer.status} to GET ${path} while the gateway checked whether an earlier attempt reached it`, true);
}
