import { setTimeout as delay } from 'node:timers/promises';

/** Resolves after ms, or rejects with an AbortError as soon as the signal fires. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal });
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
