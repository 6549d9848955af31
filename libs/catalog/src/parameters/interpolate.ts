import { DomainException } from '@cam-esc/errors';

export interface SvcInstanceContext {
  name: string;
  owner: string;
  group: string;
  service_instance_id: string;
}

/** The values a deploy resolved: what `${input_parameters.x}`, `${plan_parameters.x}` and `${svc_instance.x}` read. */
export interface ResolvedParameters {
  input_parameters: Record<string, unknown>;
  plan_parameters: Record<string, unknown>;
  svc_instance: SvcInstanceContext;
}

/**
 * How `${templates.<step id>.<output>}` is read: the outputs of an earlier step (the worker), or
 * a stand-in while the steps have not run yet (deploy checks, dry run). Undefined: not known.
 */
export type TemplateOutputs = (stepId: string, output: string) => string | undefined;

export interface InterpolationContext extends ResolvedParameters {
  templates?: TemplateOutputs;
  /** `${svc_instance.error.message}`: why the action failed (its error_sequence reads it). */
  errorMessage?: string;
}

export const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z0-9_.-]+)\}/g;
export const REFERENCE_NAMESPACES = ['input_parameters', 'plan_parameters', 'svc_instance', 'templates'];
const SVC_INSTANCE_FIELDS = ['name', 'owner', 'group', 'service_instance_id', 'error.message'];

/** Leaves `${templates.…}` as written: for dry runs and checks made before any step ran. */
export const OUTPUTS_NOT_YET_KNOWN: TemplateOutputs = (stepId, output) => `\${templates.${stepId}.${output}}`;

/**
 * Replaces every `${namespace.name}` of a text written by the service's author in one pass: values
 * put in are never scanned again, so a requester's value that looks like a reference stays text.
 */
export function interpolate(value: string, ctx: InterpolationContext, where: string): string {
  return value.replace(REFERENCE, (_whole, ns: string, key: string) => render(lookup(ns, key, ctx, where)));
}

function lookup(ns: string, key: string, ctx: InterpolationContext, where: string): unknown {
  switch (ns) {
    case 'svc_instance':
      if (!SVC_INSTANCE_FIELDS.includes(key)) throw DomainException.invalid(`${where}: \${svc_instance.${key}} is unknown; use one of ${SVC_INSTANCE_FIELDS.join(', ')}`);
      return key === 'error.message' ? (ctx.errorMessage ?? '') : ctx.svc_instance[key as keyof SvcInstanceContext];
    case 'input_parameters':
    case 'plan_parameters': {
      const found = readPath(ctx[ns], key);
      if (!found.found) throw DomainException.invalid(`${where}: refers to \${${ns}.${key}}, which this action and plan do not define`);
      return found.value;
    }
    case 'templates': {
      const dot = key.indexOf('.');
      if (dot <= 0 || dot === key.length - 1) throw DomainException.invalid(`${where}: \${templates.${key}} must name a step and one of its outputs: \${templates.<step id>.<output>}`);
      const stepId = key.slice(0, dot);
      const output = key.slice(dot + 1);
      const value = ctx.templates?.(stepId, output);
      if (value === undefined) throw DomainException.invalid(`${where}: \${templates.${key}}: step '${stepId}' has no output '${output}'`);
      return value;
    }
    default:
      throw DomainException.invalid(`${where}: \${${ns}.${key}} is not a reference the gateway resolves (${REFERENCE_NAMESPACES.join(', ')})`);
  }
}

/** `name`, or `name.field` of an object value (a shared parameter's values). */
function readPath(bag: Record<string, unknown>, key: string): { found: boolean; value?: unknown } {
  if (Object.hasOwn(bag, key)) return { found: true, value: bag[key] };
  const dot = key.indexOf('.');
  if (dot < 0) return { found: false };
  const head = bag[key.slice(0, dot)];
  if (!head || typeof head !== 'object' || Array.isArray(head)) return { found: false };
  return readPath(head as Record<string, unknown>, key.slice(dot + 1));
}

function render(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Values for a template step's placeholders: its template_params resolved against the deploy. */
export function resolveTemplateParams(stepId: string, params: Record<string, unknown>, ctx: InterpolationContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(params)) {
    const where = `template_params.${key} of step '${stepId}'`;
    if (typeof raw === 'number' || typeof raw === 'boolean') out[key] = String(raw);
    else if (typeof raw === 'string') out[key] = interpolate(raw, ctx, where);
    else throw DomainException.invalid(`${where}: must be a string, number or boolean for an ESC template (got ${Array.isArray(raw) ? 'an array' : typeof raw})`);
  }
  return out;
}

/** Every string of a JSON value interpolated (resthook headers and payloads). */
export function interpolateDeep(value: unknown, ctx: InterpolationContext, where: string): unknown {
  if (typeof value === 'string') {
    // a payload field that is exactly one reference keeps the referenced value's type (a list stays a list)
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z0-9_.-]+)\}$/.exec(value);
    if (whole && whole[1] !== 'templates' && whole[1] !== 'svc_instance') return lookup(whole[1], whole[2], ctx, where);
    return interpolate(value, ctx, where);
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateDeep(v, ctx, `${where}[${i}]`));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, ctx, `${where}.${k}`)]));
  return value;
}
