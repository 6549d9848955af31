/**
 * Every job the gateway and worker exchange, by queue. Payloads carry ids only: the worker
 * re-reads state from PostgreSQL, so a job that runs twice or late does no harm.
 */
export enum QueueName {
  Flow = 'flow',
  EscCallbacks = 'esc-callbacks',
  Catalog = 'catalog',
}

export enum JobName {
  /** Run the next step of an action instance (or finish it). */
  RunAction = 'run-action',
  /** Apply one stored ESC callback to the instance state. */
  ApplyEscCallback = 'apply-esc-callback',
  /** ESC's final callback is late: ask ESC (GET) how the request ended. */
  ReconcileEscRequest = 'reconcile-esc-request',
  /** A final callback contradicts how a request was recorded to end: ask ESC (GET) which is true. */
  SettleContradictedOutcome = 'settle-contradicted-outcome',
  /** Start a batch's next items, as many as its concurrency leaves room for; again every quarter second while it runs. */
  AdvanceBatch = 'advance-batch',
  /** Periodic (a BullMQ job scheduler): re-enqueue what lost its job. */
  SweepInFlight = 'sweep-in-flight',
  /** A version's retire date has come (setRetireOnDate): retire it. */
  RetireVersion = 'retire-version',
  /** Periodic (a job scheduler): compare what ESC holds with the records, and report it. */
  CheckDrift = 'check-drift',
}

export interface JobPayloads {
  [JobName.RunAction]: { actionInstanceId: string; serviceInstanceId: string; trigger: string };
  [JobName.ApplyEscCallback]: { callbackId: string };
  /** `round` names what scheduled the checks (ESC's acceptance, or a worker start), `check` counts them. */
  [JobName.ReconcileEscRequest]: { escRequestId: string; serviceInstanceId: string; round: string; check: number };
  /** `callbackId`: the callback that contradicts; `check` counts the GETs (ESC may still be busy). */
  [JobName.SettleContradictedOutcome]: { escRequestId: string; serviceInstanceId: string; callbackId: string; check: number };
  /** `tick`: the quarter second (epoch ms / 250) it is for; anything that queues the batch's run for the same tick queues one job. */
  [JobName.AdvanceBatch]: { batchId: string; tick: number };
  [JobName.SweepInFlight]: Record<string, never>;
  /** `retireOn` (ISO) is part of the id, so a changed date is a new job and the old one a no-op. */
  [JobName.RetireVersion]: { serviceVersionId: string; retireOn: string };
  [JobName.CheckDrift]: Record<string, never>;
}

const JOB_NAMES = new Set<string>(Object.values(JobName));

/** Whether `name` is a job of this catalogue (an outbox row written by another version may not be). */
export function isJobName(name: string): name is JobName {
  return JOB_NAMES.has(name);
}

export const QUEUE_OF_JOB: { [K in JobName]: QueueName } = {
  [JobName.RunAction]: QueueName.Flow,
  [JobName.ApplyEscCallback]: QueueName.EscCallbacks,
  [JobName.ReconcileEscRequest]: QueueName.Flow,
  [JobName.SettleContradictedOutcome]: QueueName.Flow,
  [JobName.AdvanceBatch]: QueueName.Flow,
  [JobName.SweepInFlight]: QueueName.Flow,
  [JobName.RetireVersion]: QueueName.Catalog,
  [JobName.CheckDrift]: QueueName.Catalog,
};

/**
 * Deterministic job ids make enqueueing idempotent. A run-action job is keyed by what triggered
 * it (the start, or the ESC request whose completion advances the flow), so a trigger never runs
 * twice yet a new trigger is never swallowed by a job still running.
 */
export function jobIdOf<K extends JobName>(name: K, payload: JobPayloads[K]): string {
  switch (name) {
    case JobName.RunAction: {
      const p = payload as JobPayloads[JobName.RunAction];
      return `${name}.${p.actionInstanceId}.${p.trigger}`;
    }
    case JobName.ApplyEscCallback:
      return `${name}.${(payload as JobPayloads[JobName.ApplyEscCallback]).callbackId}`;
    case JobName.ReconcileEscRequest: {
      const p = payload as JobPayloads[JobName.ReconcileEscRequest];
      return `${name}.${p.escRequestId}.${p.round}.${p.check}`;
    }
    case JobName.SettleContradictedOutcome: {
      const p = payload as JobPayloads[JobName.SettleContradictedOutcome];
      return `${name}.${p.escRequestId}.${p.callbackId}.${p.check}`;
    }
    case JobName.AdvanceBatch: {
      const p = payload as JobPayloads[JobName.AdvanceBatch];
      return `${name}.${p.batchId}.${p.tick}`;
    }
    case JobName.RetireVersion: {
      const p = payload as JobPayloads[JobName.RetireVersion];
      return `${name}.${p.serviceVersionId}.${Date.parse(p.retireOn)}`;
    }
    case JobName.SweepInFlight:
    case JobName.CheckDrift:
      return name; // also the id of its job scheduler: one schedule however many workers start
    default: {
      const unreachable: never = name;
      throw new Error(`unknown job ${String(unreachable)}`);
    }
  }
}
