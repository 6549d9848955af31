import { openActionParameters, SecretBox } from '@cam-esc/secrets';
import { CamAction, CamServiceDocument, MASK, SvcInstanceContext } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { ActionParameters } from '@cam-esc/flow';
import { ActionDetails, ActionType } from '@cam-esc/instances';
import { ActionInstance, InstanceDetails } from '@cam-esc/persistence';
import { InstanceRequestEcho } from '../instance.view';

/** Action types that run the instance's own flow: their latest run holds the instance's current values. */
const FLOW_TYPES: string[] = [ActionType.Provision, ActionType.Update];

/** The latest run of the instance's own flow (its provision, or a later update, retry or version change). */
export function currentFlowAction(instance: Pick<InstanceDetails, 'actions'>): ActionInstance | undefined {
  return [...instance.actions].reverse().find((a) => FLOW_TYPES.includes(a.type));
}

/** The name of the provision action a run of the instance's flow ran (an update is named `update`, a deploy by its action). */
export function flowActionName(action: ActionInstance | undefined): string | undefined {
  return ((action?.details ?? {}) as ActionDetails).flowAction ?? action?.name;
}

/** The action that provisions the version (the one the instance was deployed with, by name, when it has it). */
export function provisionActionOf(doc: CamServiceDocument, preferredName?: string): CamAction {
  const provisions = doc.actions.filter((a) => a.type === ActionType.Provision);
  const action = provisions.find((a) => a.name === preferredName) ?? provisions[0];
  if (!action) throw DomainException.invalid('the service version has no provision action');
  return action;
}

/**
 * The input parameter values an action ran with, as the requester gave them (a shared parameter by
 * its name). Actions stored before `given` was kept: the deploy request's echo, secured values read
 * from what was resolved.
 */
export function givenValues(action: ActionInstance | undefined, instance: Pick<InstanceDetails, 'request'>, box?: SecretBox): Record<string, unknown> {
  if (!action) return {};
  // with the box: the secured values too, to prepare the next run (else they read masked)
  const parameters = (box ? openActionParameters(box, action) : action.parameters) as unknown as Partial<ActionParameters>;
  if (parameters.given) return { ...parameters.given };
  const echo = instance.request as unknown as InstanceRequestEcho;
  return Object.fromEntries(
    (echo.resourceProperties?.specifications ?? []).map((s) => [s.name, s.value === MASK ? parameters.input_parameters?.[s.name] : s.value]),
  );
}

/** svc_instance as the instance's actions read it (name, owner, group, id). */
export function svcInstanceOf(instance: Pick<InstanceDetails, 'id' | 'name' | 'owner' | 'group' | 'actions'>): SvcInstanceContext {
  const stored = (currentFlowAction(instance)?.parameters as unknown as Partial<ActionParameters> | undefined)?.svc_instance;
  return stored ?? { name: instance.name, owner: instance.owner, group: instance.group, service_instance_id: instance.id };
}

/**
 * `instance_parameters` of a lifecycle call: an object of input parameter name → value. Null or
 * absent is no values; a masked value (as getInputParameters shows a secured one) keeps the old one.
 */
export function instanceParameters(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw DomainException.invalid(`${field}: must be an object of input parameter name → value`, { field });
  return value as Record<string, unknown>;
}

/**
 * The values of a run: the earlier ones the action still has, overridden by the call's. A name the
 * call gives that the action does not have is a 400; an earlier one it no longer has is dropped.
 */
export function mergeValues(action: CamAction, earlier: Record<string, unknown>, given: Record<string, unknown>, field: string): Record<string, unknown> {
  const names = new Set((action.input_parameters ?? []).map((p) => p.name));
  const unknown = Object.keys(given).filter((n) => !names.has(n));
  if (unknown.length) {
    throw DomainException.invalid(
      `${field}.${unknown[0]}: is not an input parameter of action '${action.name}' (known: ${[...names].join(', ') || 'none'})`,
      { field: `${field}.${unknown[0]}` },
    );
  }
  const merged: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(earlier)) if (names.has(name)) merged[name] = value;
  for (const [name, value] of Object.entries(given)) {
    // a masked value sent back keeps the secret it stands for; with none given before, the plan's or the default applies
    if (value === MASK) continue;
    merged[name] = value;
  }
  return merged;
}

/** A required object member of a call's body (update_details, retry_details, ...). */
export function bodyObject(body: unknown, name: string, required = true): Record<string, unknown> {
  const value = (body as Record<string, unknown> | null)?.[name];
  if (value === undefined && !required) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw DomainException.invalid(`${name}: is required and must be an object`, { field: name });
  return value as Record<string, unknown>;
}

/**
 * The body (or a member of it) takes only these fields: one it does not know is a 400 naming it,
 * rather than a value silently dropped (a misspelt field would otherwise do nothing).
 */
export function knownFields(value: unknown, allowed: readonly string[], where: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw DomainException.invalid(`${where}: must be a JSON object`, { field: where });
  const unknown = Object.keys(value).find((k) => !allowed.includes(k));
  if (unknown !== undefined) {
    const field = where === 'body' ? unknown : `${where}.${unknown}`;
    throw DomainException.invalid(`${field}: is not a field of this call (it takes ${allowed.join(', ') || 'none'})`, { field });
  }
  return value as Record<string, unknown>;
}

/** A required non-empty string member: "is required" when absent, "must be a string" when it is something else. */
export function requiredString(value: unknown, field: string, what: string): string {
  if (value === undefined || value === null || value === '') throw DomainException.invalid(`${field}: is required: ${what}`, { field });
  if (typeof value !== 'string') throw DomainException.invalid(`${field}: must be a string: ${what}`, { field });
  return value;
}
