import { DomainException } from '@cam-esc/errors';
import { xmlValueProblem } from '@cam-esc/esc';
import { CamAction, CamParameter, CamPlan } from '../service-document';
import { interpolate, ResolvedParameters, SvcInstanceContext } from './interpolate';

export interface Specification {
  name: string;
  value: unknown;
  secured?: boolean;
}

export interface SharedParameterSet {
  datatype: string;
  values: Record<string, string | number | boolean>;
  securedKeys: string[];
}

/** What checking a `connection` or `sharedparameter` value needs to look up (per tenant). */
export interface ParameterLookups {
  connectionExists(name: string): Promise<boolean>;
  sharedParameter(name: string): Promise<SharedParameterSet | null>;
}

export interface ResolvedInput {
  resolved: ResolvedParameters;
  /** Secured names: a parameter (`db_password`), or a secured key of a shared parameter (`proxy.password`). */
  secured: string[];
}

interface Problem {
  field: string;
  message: string;
}

const SPECS = 'resourceProperties.specifications';

/**
 * Values of an action's input parameters for one deploy. Precedence: the request's value, else
 * the plan's, else the parameter's default (whose `${svc_instance.*}` are resolved). Every value is
 * checked against its type; every problem of the request is reported in one 400 that names each
 * bad parameter and its rule. A secured value is never repeated in a message.
 */
export async function resolveInputParameters(
  action: CamAction,
  plan: CamPlan,
  specifications: Specification[],
  svcInstance: SvcInstanceContext,
  lookups: ParameterLookups,
  /** Where the values came from, for messages: resourceProperties.specifications, or e.g. update_details.instance_parameters. */
  specsField: string = SPECS,
): Promise<ResolvedInput> {
  const byName = specsField !== SPECS;
  const problems: Problem[] = [];
  const inputs = action.input_parameters ?? [];
  const planParams = new Map((plan.plan_parameters ?? []).map((p) => [p.name, p]));
  const given = new Map<string, Specification>();
  specifications.forEach((s, i) => {
    const field = byName ? `${specsField}.${s.name}` : `${SPECS}[${i}].name`;
    const param = inputs.find((p) => p.name === s.name);
    if (!param) {
      problems.push({ field, message: `'${s.name}' is not an input parameter of action '${action.name}' (known: ${inputs.map((p) => p.name).join(', ') || 'none'})` });
    } else if (given.has(s.name)) {
      problems.push({ field, message: `'${s.name}' is given twice` });
    } else if (planParams.get(s.name)?.immutable) {
      problems.push({ field, message: `'${s.name}' is fixed by plan '${plan.name}' and cannot be set` });
    } else if (param.immutable) {
      problems.push({ field, message: `'${s.name}' is immutable and cannot be set` });
    }
    given.set(s.name, s);
  });

  const resolved: ResolvedParameters = { input_parameters: {}, plan_parameters: {}, svc_instance: svcInstance };
  const secured: string[] = [];
  const defaults = (value: unknown, where: string) => (typeof value === 'string' ? interpolate(value, resolved, where) : value);
  for (const p of plan.plan_parameters ?? []) {
    let value = defaults(p.default, `plan parameter '${p.name}'`);
    const isSecured = Boolean(p.secured || typeOf(p) === 'password');
    // a plan parameter that is no input parameter is checked here; the others with their input parameter below
    if (!inputs.some((i) => i.name === p.name)) {
      const field = `plan '${plan.name}'.plan_parameters.${p.name}`;
      if (value === undefined || value === null || value === '') {
        if (p.required) problems.push({ field, message: `'${p.name}' is required and the plan gives it no value` });
      } else {
        const checked = await checkValue(p, undefined, value, isSecured, lookups);
        if ('problem' in checked) problems.push({ field, message: `'${p.name}' ${checked.problem}` });
        else {
          value = checked.value;
          for (const key of checked.securedKeys ?? []) secured.push(`${p.name}.${key}`);
        }
      }
    }
    resolved.plan_parameters[p.name] = value;
    if (isSecured) secured.push(p.name);
  }
  for (const p of inputs) {
    const spec = given.get(p.name);
    const planParam = planParams.get(p.name);
    const isSecured = Boolean(p.secured || planParam?.secured || spec?.secured || typeOf(p) === 'password');
    const field = `${specsField}.${p.name}`;
    // the requester's value is data: only the author's defaults may hold references
    let value = spec !== undefined ? spec.value : defaults(planParam?.default !== undefined ? planParam.default : p.default, `input parameter '${p.name}'`);
    if (value === undefined || value === null || value === '') {
      if (p.required || planParam?.required) problems.push({ field, message: `'${p.name}' is required and has no value (give it as ${byName ? `"${p.name}": ...` : `{"name": "${p.name}", "value": ...}`})` });
      value = '';
    } else {
      const checked = await checkValue(p, planParam, value, isSecured, lookups);
      if ('problem' in checked) problems.push({ field, message: `'${p.name}' ${checked.problem}` });
      else {
        value = checked.value;
        for (const key of checked.securedKeys ?? []) secured.push(`${p.name}.${key}`);
      }
    }
    if (isSecured) secured.push(p.name);
    resolved.input_parameters[p.name] = value;
  }
  if (problems.length) {
    const text = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw DomainException.invalid(problems.length === 1 ? text : `${problems.length} problems with the parameters: ${text}`, {
      fields: problems.map((p) => p.field),
    });
  }
  return { resolved, secured: [...new Set(secured)] };
}

function typeOf(p: CamParameter): string {
  return String(p.type ?? p.customtype ?? 'string');
}

type Checked = { value: unknown; securedKeys?: string[] } | { problem: string };

/** Checks one value against its parameter's type (and range); returns the value as the flow uses it. */
async function checkValue(p: CamParameter, planParam: CamParameter | undefined, value: unknown, secured: boolean, lookups: ParameterLookups): Promise<Checked> {
  const got = secured ? '' : ` (got ${JSON.stringify(value).slice(0, 200)})`;
  switch (typeOf(p)) {
    case 'boolean':
      if (typeof value === 'boolean') return { value };
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return { value: value.toLowerCase() === 'true' };
      return { problem: `must be true or false${got}` };
    case 'number':
    case 'counter': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) return { problem: `must be a number${got}` };
      if (typeOf(p) === 'counter' && !Number.isInteger(n)) return { problem: `must be a whole number${got}` };
      return inRange(planParam?.range ?? p.range, n, secured);
    }
    case 'list':
      if (Array.isArray(value) && value.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
        const bad = value.map((v) => (typeof v === 'string' ? xmlValueProblem(v) : undefined)).find(Boolean);
        return bad ? { problem: bad } : { value };
      }
      return { problem: `must be a list of strings, numbers or booleans${got}` };
    case 'map':
    case 'json':
      if (value && typeof value === 'object') return { value };
      return { problem: `must be a JSON object${got}` };
    case 'connection':
      if (typeof value !== 'string') return { problem: `must name an ESC connection${got}` };
      if (!(await lookups.connectionExists(value))) return { problem: `names the ESC connection '${value}', which does not exist (see /cam/api/v1/connections)` };
      return { value };
    case 'sharedparameter': {
      if (typeof value !== 'string') return { problem: `must name a shared parameter${got}` };
      const set = await lookups.sharedParameter(value);
      if (!set) return { problem: `names the shared parameter '${value}', which does not exist (see /cam/api/v1/sharedparameters)` };
      const datatype = p.datatype ?? planParam?.datatype;
      if (typeof datatype === 'string' && datatype && set.datatype !== datatype) return { problem: `names the shared parameter '${value}' of datatype '${set.datatype}'; this parameter takes datatype '${datatype}'` };
      return { value: set.values, securedKeys: set.securedKeys };
    }
    default:
      if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) };
      if (typeof value !== 'string') return { problem: `must be a string${got}` };
      if (xmlValueProblem(value)) return { problem: xmlValueProblem(value)! };
      return inRange(planParam?.range ?? p.range, value, secured);
  }
}

function inRange(range: CamParameter['range'], value: number | string, secured: boolean): Checked {
  if (!range || typeof value !== 'number') return { value };
  const got = secured ? '' : ` (got ${value})`;
  if (typeof range.min === 'number' && value < range.min) return { problem: `must be at least ${range.min}${got}` };
  if (typeof range.max === 'number' && value > range.max) return { problem: `must be at most ${range.max}${got}` };
  return { value };
}
