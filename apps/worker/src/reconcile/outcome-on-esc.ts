import { escOperationOfRequest, EscReading, requestVerb } from '@cam-esc/flow';

/** What ESC's GET says of how a request ended: done well, failed, or not yet told (still running, or ESC cannot say). */
export type OutcomeOnEsc = { outcome: 'succeeded' | 'failed' | 'open'; why: string };

/**
 * How a request ended, as ESC's GET of its resource tells it. An operation is done when the
 * resource settles in the operation's service state; a create or update when the resource is
 * there and well, a delete when it is gone.
 */
export function outcomeOnEsc(operationName: string, reading: EscReading, kind: string): OutcomeOnEsc {
  const operation = escOperationOfRequest(operationName);
  if (operation) {
    if (operation.settledServiceState && reading.state === operation.settledServiceState) return { outcome: 'succeeded', why: `${operation.name} is done` };
    if (reading.phase === 'gone' || reading.phase === 'error') return { outcome: 'failed', why: `the outcome of ${operation.name} is unknown` };
    return { outcome: 'open', why: `the outcome of ${operation.name} is unknown` };
  }
  const deleting = requestVerb(operationName) === 'delete';
  switch (reading.phase) {
    case 'gone':
      return deleting ? { outcome: 'succeeded', why: `the ${kind} is gone` } : { outcome: 'failed', why: `ESC does not know the ${kind}` };
    case 'error':
      return { outcome: 'failed', why: `the ${kind} is in error` };
    case 'present':
      return deleting ? { outcome: 'open', why: `the ${kind} is still there` } : { outcome: 'succeeded', why: `the ${kind} is there` };
    case 'in-progress':
      return { outcome: 'open', why: `ESC is still working on the ${kind}` };
  }
}
