import { CallbackRole, EscStepKind, StepVerb } from './kinds/step-kind';
import { verbOf } from './kinds/registry';
import { EscOperation } from './operations/esc-operation';
import { escOperationOfRequest } from './operations/registry';

/**
 * How the callbacks of one ESC request are taken: a create, update or delete of a resource (its
 * kind's rules), or an operation on a deployment or VM (stop, reboot, ...; its module's rules),
 * which leaves the resource as it is whatever its outcome.
 */
export interface RequestHandling {
  verb: StepVerb | 'operate';
  roleOf(stage: string | undefined): CallbackRole;
  /** The final stages that end it well; empty: any final stage with a success code does. */
  successStages: readonly string[];
  operation?: EscOperation;
}

export function handlingOf(kind: EscStepKind, operation: string): RequestHandling {
  const op = escOperationOfRequest(operation);
  if (op) return { verb: 'operate', roleOf: (stage) => op.roleOf(stage), successStages: op.successStages, operation: op };
  const verb = verbOf(operation);
  return { verb, roleOf: (stage) => kind.roleOf(stage), successStages: kind.successStages(verb) };
}

/** create, update, delete, or `operate` for an ESC operation's request. */
export function requestVerb(operation: string): StepVerb | 'operate' {
  return escOperationOfRequest(operation) ? 'operate' : verbOf(operation);
}
