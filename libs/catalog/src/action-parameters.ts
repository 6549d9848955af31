import { ResolvedParameters } from './resolve-parameters';

/** Per-step values the worker renders with: which library template, and each placeholder's value. */
export interface StepParameters {
  templateId: string;
  templateName: string;
  templateVersion: string;
  values: Record<string, string>;
}

/**
 * What the gateway stores on an action instance at deploy time (ActionInstance.parameters) and
 * the worker reads back: the resolved parameters and, per flow step, its template values.
 */
export type ActionParameters = ResolvedParameters & { steps: Record<string, StepParameters> };
