import { DomainException } from '@cam-esc/errors';
import { CamAction, CamParameter, CamPlan } from './service-document';

export interface SvcInstanceContext {
  name: string;
  owner: string;
  group: string;
  service_instance_id: string;
}

export interface ResolvedParameters {
  input_parameters: Record<string, unknown>;
  plan_parameters: Record<string, unknown>;
  svc_instance: SvcInstanceContext;
}

export interface Specification {
  name: string;
  value: unknown;
  secured?: boolean;
}

const REFERENCE = /\$\{([A-Za-z_]+)\.([A-Za-z0-9_.-]+)\}/g;
const SVC_INSTANCE_FIELDS = ['name', 'owner', 'group', 'service_instance_id'];

/**
 * Values of an action's input parameters for one deploy: the request's specifications, else the
 * plan's value, else the parameter's default; `${svc_instance.*}` in defaults are resolved.
 * Returns the values and the names of the secured ones.
 */
export function resolveInputParameters(
  action: CamAction,
  plan: CamPlan,
  specifications: Specification[],
  svcInstance: SvcInstanceContext,
): { resolved: ResolvedParameters; secured: string[] } {
  const inputs = action.input_parameters ?? [];
  const planParams = new Map((plan.plan_parameters ?? []).map((p) => [p.name, p]));
  const given = new Map<string, Specification>();
  specifications.forEach((s, i) => {
    const path = `resourceProperties.specifications[${i}]`;
    if (!inputs.some((p) => p.name === s.name)) {
      throw DomainException.invalid(`${path}.name: '${s.name}' is not an input parameter of action '${action.name}' (known: ${inputs.map((p) => p.name).join(', ') || 'none'})`, { field: `${path}.name` });
    }
    if (given.has(s.name)) throw DomainException.invalid(`${path}.name: '${s.name}' is given twice`, { field: `${path}.name` });
    const planParam = planParams.get(s.name);
    if (planParam?.immutable) {
      throw DomainException.invalid(`${path}: '${s.name}' is fixed by plan '${plan.name}' and cannot be set`, { field: path });
    }
    given.set(s.name, s);
  });

  const base: ResolvedParameters = { input_parameters: {}, plan_parameters: {}, svc_instance: svcInstance };
  for (const p of plan.plan_parameters ?? []) base.plan_parameters[p.name] = p.default;
  const secured: string[] = [];
  for (const p of inputs) {
    const spec = given.get(p.name);
    const planParam = planParams.get(p.name);
    let value = spec !== undefined ? spec.value : planParam?.default !== undefined ? planParam.default : p.default;
    if (typeof value === 'string') value = interpolate(value, base, `input parameter '${p.name}'`, false);
    if (value === undefined || value === null || value === '') {
      if (p.required) {
        throw DomainException.invalid(
          `resourceProperties.specifications: input parameter '${p.name}' of action '${action.name}' is required and has no value (give it as {"name": "${p.name}", "value": ...})`,
          { field: p.name },
        );
      }
      value = '';
    }
    const isSecured = Boolean(p.secured || spec?.secured);
    checkRange(p, planParam, value, isSecured);
    if (isSecured) secured.push(p.name);
    base.input_parameters[p.name] = value;
  }
  for (const p of plan.plan_parameters ?? []) if (p.secured && !secured.includes(p.name)) secured.push(p.name);
  return { resolved: base, secured };
}

/** Values for a template step's placeholders, its template_params resolved against the deploy. */
export function resolveTemplateParams(stepId: string, params: Record<string, unknown>, ctx: ResolvedParameters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(params)) {
    const where = `template_params.${key} of step '${stepId}'`;
    if (typeof raw === 'number' || typeof raw === 'boolean') out[key] = String(raw);
    else if (typeof raw === 'string') out[key] = interpolate(raw, ctx, where, true);
    else throw DomainException.invalid(`${where}: must be a string, number or boolean for an ESC template (got ${Array.isArray(raw) ? 'an array' : typeof raw})`);
  }
  return out;
}

function interpolate(value: string, ctx: ResolvedParameters, where: string, strict: boolean): string {
  return value.replace(REFERENCE, (whole, ns: string, key: string) => {
    let resolved: unknown;
    if (ns === 'svc_instance') {
      if (!SVC_INSTANCE_FIELDS.includes(key)) throw DomainException.invalid(`${where}: \${svc_instance.${key}} is unknown; use one of ${SVC_INSTANCE_FIELDS.join(', ')}`);
      resolved = ctx.svc_instance[key as keyof SvcInstanceContext];
    } else if (ns === 'input_parameters' || ns === 'plan_parameters') {
      const bag = ctx[ns];
      if (!Object.hasOwn(bag, key)) {
        if (!strict) return whole;
        throw DomainException.invalid(`${where}: refers to \${${ns}.${key}}, which this action and plan do not define`);
      }
      resolved = bag[key];
    } else {
      if (!strict) return whole;
      throw DomainException.invalid(`${where}: \${${ns}.${key}} is not a reference the gateway resolves (input_parameters, plan_parameters, svc_instance)`);
    }
    if (typeof resolved === 'object' && resolved !== null) return JSON.stringify(resolved);
    return resolved === undefined || resolved === null ? '' : String(resolved);
  });
}

/** Checks counters and ranges; a secured value is never repeated in the message. */
function checkRange(p: CamParameter, planParam: CamParameter | undefined, value: unknown, secured: boolean): void {
  const shown = (v: unknown) => (secured ? '' : ` (got ${JSON.stringify(v)})`);
  const range = planParam?.range ?? p.range;
  if ((p.type ?? p.customtype) !== 'counter' && !range) return;
  const n = Number(value);
  if (value === '' || Number.isNaN(n)) {
    if ((p.type ?? p.customtype) === 'counter') throw DomainException.invalid(`resourceProperties.specifications: '${p.name}' must be a number${shown(value)}`, { field: p.name });
    return;
  }
  if (range?.min !== undefined && n < range.min) throw DomainException.invalid(`resourceProperties.specifications: '${p.name}' must be at least ${range.min}${shown(n)}`, { field: p.name });
  if (range?.max !== undefined && n > range.max) throw DomainException.invalid(`resourceProperties.specifications: '${p.name}' must be at most ${range.max}${shown(n)}`, { field: p.name });
}
