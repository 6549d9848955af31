import { deploymentKind } from './deployment.kind';
import { flavorKind } from './flavor.kind';
import { imageKind } from './image.kind';
import { networkKind } from './network.kind';
import { HttpStepKind, resthookKind } from './resthook.kind';
import { EscStepKind } from './step-kind';
import { subnetKind } from './subnet.kind';
import { tenantKind } from './tenant.kind';
import { volumeKind } from './volume.kind';

export type StepKind = EscStepKind | HttpStepKind;

/** Every step kind the engine runs. A new kind is one module and one line here. */
const ESC_KINDS: readonly EscStepKind[] = [deploymentKind, tenantKind, networkKind, subnetKind, imageKind, flavorKind, volumeKind];
const ALL_KINDS: readonly StepKind[] = [...ESC_KINDS, resthookKind];

const byName = new Map<string, StepKind>(ALL_KINDS.map((k) => [k.kind, k]));
const byRoot = new Map<string, EscStepKind>(ESC_KINDS.map((k) => [k.templateRoot, k]));

/** The kind stored on a resource; throws for a name no module has (a row written by a newer gateway). */
export function stepKind(name: string): StepKind {
  const kind = byName.get(name);
  if (!kind) throw new Error(`no step kind '${name}' is registered`);
  return kind;
}

/** The ESC kind whose templates have this root element, if any runs as a flow step. */
export function kindOfTemplateRoot(root: string): EscStepKind | undefined {
  return byRoot.get(root);
}

export const RUNNABLE_TEMPLATE_ROOTS: readonly string[] = ESC_KINDS.map((k) => k.templateRoot);

/** ESC operation names as requests store them: CREATE_TENANT, DELETE_DEPLOYMENT, ... */
export function operationName(verb: 'create' | 'update' | 'delete', kind: string): string {
  return `${verb.toUpperCase()}_${kind.toUpperCase()}`;
}

export function verbOf(operation: string): 'create' | 'update' | 'delete' {
  const verb = operation.slice(0, operation.indexOf('_')).toLowerCase();
  if (verb === 'create' || verb === 'update' || verb === 'delete') return verb;
  throw new Error(`operation '${operation}' names no verb`);
}

/**
 * The internal id a callback names for a resource of each ESC kind (its internal_<kind>_id
 * field): which one matters depends on the kind of the request it answers.
 */
export function internalIdsNamed(fields: Record<string, string>): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const kind of ESC_KINDS) if (fields[kind.idOutput]) ids[kind.kind] = fields[kind.idOutput];
  return ids;
}
