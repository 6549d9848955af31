import { ResolvedParameters } from '@cam-esc/catalog';
import { ResthookDefinition } from './kinds/resthook.kind';

/** Main steps run in sequence order; error steps (the flow's error_sequence) after a failure. */
export type StepPhase = 'main' | 'error';

/** Error steps are numbered after every main step, so terminate undoes them first. */
export const ERROR_SEQUENCE_BASE = 1000;

/**
 * One step of an action as the deploy fixed it: the worker runs from this snapshot, never from
 * the service version's document (which its author may edit meanwhile). Values are resolved
 * when the step starts, since they may read earlier steps' outputs.
 */
export interface PlannedStep {
  id: string;
  sequenceNo: number;
  phase: StepPhase;
  /** A registered step kind: deployment, tenant, ..., resthook. */
  kind: string;
  title: string;
  /** The ESC connection the step runs on (`default`: ESC_URL; '' for a resthook, which calls out directly). */
  connection: string;
  /** ESC steps: the library template. */
  template?: { id: string; name: string; version: string };
  /** ESC steps: template_params as the author wrote them. */
  params?: Record<string, unknown>;
  /** Resthook steps: the call as the author wrote it. */
  resthook?: ResthookDefinition;
}

/** What the gateway stores on an action instance (ActionInstance.parameters) and the worker reads back. */
export type ActionParameters = ResolvedParameters & {
  plan: PlannedStep[];
  /** The input parameter values as the requester gave them (a shared parameter by its name), for a later update or retry. */
  given?: Record<string, unknown>;
  /** The plan the action runs (a version change may move the instance to another). */
  plan_name?: string;
};
