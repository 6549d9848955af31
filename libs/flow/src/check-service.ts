import { CamAction, CamParameter, CamPlan, CamServiceDocument, ESC_TEMPLATE_TYPE, FlowStep, REFERENCE_NAMESPACES, stepsOf, unknownSequenceEntries, versionDeclarationProblems } from '@cam-esc/catalog';
import { kindOfTemplateRoot } from './kinds/registry';
import { resthookKind, resthookProblems, ResthookDefinition } from './kinds/resthook.kind';

/** What the checker needs of a library template. */
export interface TemplateInfo {
  name: string;
  version: string;
  resourceKind: string;
  placeholders: string[];
}

export type FindTemplate = (name: string, version: string) => Promise<TemplateInfo | null>;

export interface CheckOptions {
  /** Narrows the check to one action (and plan), as a deploy does. */
  actionName?: string;
  planName?: string;
  /** Whether a step's literal cloud_connection_name names a connection (unchecked when absent). */
  connectionExists?: (name: string) => Promise<boolean>;
}

/** One problem, worded once: createService shows it as a warning, deploy refuses with it. */
export interface CatalogProblem {
  /** Where, in words: "Action 'Provision', step 'asa1'" or "Plan 'Standard'". */
  where: string;
  message: string;
  /** Advice only (createService shows it; a deploy goes ahead). */
  advisory?: boolean;
}

/** Parameter types of the CAM seed. */
export const PARAMETER_TYPES = ['string', 'password', 'boolean', 'number', 'counter', 'list', 'map', 'connection', 'sharedparameter', 'multiline', 'textarea', 'json'];

export function formatWarning(p: CatalogProblem): string {
  return `${p.where}: ${p.message} \n`;
}

/** The problems that stop a deploy, as one 400 message (undefined when there are none). */
export function blockingMessage(problems: CatalogProblem[]): string | undefined {
  const blocking = problems.filter((p) => !p.advisory);
  return blocking.length ? blocking.map((p) => `${p.where}: ${p.message}`).join('; ') : undefined;
}

/**
 * Everything that would stop an action of a service document from running on ESC, short of the
 * values a deploy brings: the one checker behind createService's warnings and deploy's 400s.
 * `actionName` narrows it to one action (and `planName` to one plan), as a deploy does.
 */
export async function checkServiceDocument(doc: CamServiceDocument, findTemplate: FindTemplate, only: CheckOptions = {}): Promise<CatalogProblem[]> {
  const problems: CatalogProblem[] = [];
  // a run checks its action; a stored document is checked whole, its version changes included
  if (!only.actionName) for (const message of versionDeclarationProblems(doc)) problems.push({ where: 'Version changes', advisory: true, message });
  const plans = (doc.plans ?? []).filter((p) => !only.planName || p.name === only.planName);
  for (const plan of plans) problems.push(...parameterProblems(`Plan '${plan.name}'`, plan.plan_parameters));
  for (const action of doc.actions.filter((a) => !only.actionName || a.name === only.actionName)) {
    problems.push(...parameterProblems(`Action '${action.name}'`, action.input_parameters));
    problems.push(...(await flowProblems(action, plans, findTemplate, only)));
  }
  return problems;
}

function parameterProblems(where: string, params: CamParameter[] | undefined): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const seen = new Set<string>();
  for (const p of params ?? []) {
    if (seen.has(p.name)) problems.push({ where, message: `parameter '${p.name}' is defined twice` });
    seen.add(p.name);
    if (p.type !== undefined && (typeof p.type !== 'string' || !PARAMETER_TYPES.includes(p.type))) {
      problems.push({ where, message: `parameter '${p.name}' has the unknown type '${String(p.type)}' (known: ${PARAMETER_TYPES.join(', ')})` });
    }
  }
  return problems;
}

async function flowProblems(action: CamAction, plans: CamPlan[], findTemplate: FindTemplate, options: CheckOptions): Promise<CatalogProblem[]> {
  const problems: CatalogProblem[] = [];
  // an entry naming no step is reported, and the steps that exist are checked all the same
  const known: CamAction = { ...action, flow: { ...action.flow } };
  for (const which of ['sequence', 'error_sequence'] as const) {
    const unknown = unknownSequenceEntries(action, which);
    for (const { position, id } of unknown) {
      problems.push({ where: `Action '${action.name}'`, message: `flow.${which}.${position} names '${id}', which is no template, resthook or notification of the flow` });
    }
    const drop = new Set(unknown.map((u) => u.position));
    known.flow![which] = Object.fromEntries(Object.entries(action.flow?.[which] ?? {}).filter(([position]) => !drop.has(position)));
  }
  const main = stepsOf(known);
  const onError = stepsOf(known, undefined, 'error_sequence');
  for (const step of onError) {
    if (main.some((m) => m.id === step.id)) problems.push({ where: `Action '${action.name}'`, message: `flow.error_sequence names '${step.id}', which the sequence runs already; an error step must be a step of its own` });
  }
  // the kind of each main step that runs before a given one, for ${templates.<id>.<output>}
  const earlier = new Map<string, string[]>();
  for (const [index, step] of [...main, ...onError].entries()) {
    // an error step may read every main step (those that never ran read as empty) and the error steps before it
    const before = [...main, ...onError].slice(0, index);
    const where = `Action '${action.name}', ${index < main.length ? 'step' : 'error step'} '${step.id}'`;
    const kind = await stepProblems(step, where, before, earlier, action, plans, findTemplate, options, problems);
    if (kind) earlier.set(step.id, kind);
  }
  return problems;
}

/** Checks one step; returns the outputs it makes (for later steps' references), or undefined when it cannot run. */
async function stepProblems(
  step: FlowStep,
  where: string,
  before: FlowStep[],
  outputsOf: Map<string, string[]>,
  action: CamAction,
  plans: CamPlan[],
  findTemplate: FindTemplate,
  options: CheckOptions,
  problems: CatalogProblem[],
): Promise<string[] | undefined> {
  const refs = (texts: Record<string, unknown>, field: string) => problems.push(...referenceProblems(where, texts, field, action, plans, before, outputsOf));
  if (step.kind === 'notification') {
    problems.push({ where, message: 'email notifications are not sent by this gateway; the action cannot be deployed until the step is removed from its sequence' });
    return undefined;
  }
  if (step.kind === 'resthook') {
    const def = step.resthook as ResthookDefinition;
    for (const message of resthookProblems(def)) problems.push({ where, message });
    refs({ url: def.url, ...flatten('headers', def.headers), ...flatten('payload', def.payload) }, '');
    return ['name', 'created_at', ...resthookKind.outputNames, '*'];
  }
  const t = step.template;
  if (t.template_type !== ESC_TEMPLATE_TYPE) {
    problems.push({ where, message: `template '${t.template_name ?? step.title}' is of type '${t.template_type ?? 'unknown'}'; only 'ESC' templates can run on ESC` });
    return undefined;
  }
  if (!t.template_name || !t.version) {
    problems.push({ where, message: 'an ESC step needs template_name and version of a template of the library' });
    return undefined;
  }
  const params = t.template_params ?? {};
  refs(params, 'template_params.');
  const connection = t.cloud_connection_name;
  if (connection !== undefined && connection !== '') {
    if (typeof connection !== 'string') problems.push({ where, message: 'cloud_connection_name must be the name of an ESC connection' });
    else if (connection.includes('${')) refs({ cloud_connection_name: connection }, '');
    else if (options.connectionExists && !(await options.connectionExists(connection))) {
      problems.push({ where, message: `cloud_connection_name '${connection}' names no ESC connection (see /cam/api/v1/connections)` });
    }
  }
  const template = await findTemplate(t.template_name, t.version);
  if (!template) {
    problems.push({ where, message: `ESC template '${t.template_name}' version '${t.version}' is not in the template library` });
    return undefined;
  }
  const kind = kindOfTemplateRoot(template.resourceKind);
  if (!kind) {
    problems.push({ where, message: `template '${template.name}' is a <${template.resourceKind}>: it acts on a deployment that exists and runs as an instance operation, not as a flow step` });
  }
  const missing = template.placeholders.filter((p) => !Object.hasOwn(params, p));
  if (missing.length) problems.push({ where, message: `template_params give no value for placeholder(s) ${missing.map((p) => `\${${p}}`).join(', ')} of template '${template.name}'` });
  const extra = Object.keys(params).filter((k) => !template.placeholders.includes(k));
  if (extra.length) problems.push({ where, advisory: true, message: `template_params name ${extra.map((k) => `'${k}'`).join(', ')}, which template '${template.name}' has no placeholder for` });
  return kind ? ['name', 'created_at', 'status', ...kind.outputNames] : undefined;
}

function flatten(prefix: string, value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return { [prefix]: value };
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => Object.entries(flatten(`${prefix}.${k}`, v))));
  return {};
}

/**
 * `${ns.name}` references in a step's texts: unknown namespaces, undefined parameters, outputs of
 * steps that do not run before this one, and text that looks like a mistyped placeholder.
 */
function referenceProblems(
  where: string,
  texts: Record<string, unknown>,
  fieldPrefix: string,
  action: CamAction,
  plans: CamPlan[],
  before: FlowStep[],
  outputsOf: Map<string, string[]>,
): CatalogProblem[] {
  const inputs = new Set((action.input_parameters ?? []).map((p) => p.name));
  const planned = new Set(plans.flatMap((p) => (p.plan_parameters ?? []).map((q) => q.name)));
  const problems: CatalogProblem[] = [];
  const undefinedRefs = new Set<string>();
  for (const [key, value] of Object.entries(texts)) {
    if (typeof value !== 'string') continue;
    const field = `${fieldPrefix}${key}`;
    for (const [, ns, name] of value.matchAll(/\$\{([A-Za-z0-9_]+)\.([A-Za-z0-9_.-]+)\}/g)) {
      const head = name.split('.')[0];
      if (!REFERENCE_NAMESPACES.includes(ns)) {
        problems.push({ where, message: `${field} refers to \${${ns}.${name}}: '${ns}' is not a namespace (use ${REFERENCE_NAMESPACES.join(', ')})` });
      } else if ((ns === 'input_parameters' && !inputs.has(name) && !inputs.has(head)) || (ns === 'plan_parameters' && !planned.has(name) && !planned.has(head))) {
        undefinedRefs.add(`${ns}.${name}`);
      } else if (ns === 'templates') {
        problems.push(...templateReferenceProblems(where, field, name, before, outputsOf));
      }
    }
    const stripped = value.replace(/\$\{[^${}]*\}/g, '');
    if (/\$\{|\$[A-Za-z_][A-Za-z0-9_.]*\}|\{[A-Za-z_][A-Za-z0-9_.]*\}/.test(stripped)) {
      problems.push({ where, advisory: true, message: `${field} has text that looks like a mistyped placeholder ('${value.slice(0, 80)}'); write \${name}` });
    }
  }
  for (const ref of undefinedRefs) problems.push({ where, message: `${fieldPrefix ? fieldPrefix.replace(/\.$/, '') : 'its texts'} refer to \${${ref}}, which neither the action's input parameters nor any plan defines` });
  return problems;
}

function templateReferenceProblems(where: string, field: string, name: string, before: FlowStep[], outputsOf: Map<string, string[]>): CatalogProblem[] {
  const dot = name.indexOf('.');
  const stepId = dot > 0 ? name.slice(0, dot) : name;
  const output = dot > 0 ? name.slice(dot + 1) : '';
  if (!output) return [{ where, message: `${field} refers to \${templates.${name}}: write \${templates.<step id>.<output>}` }];
  if (!before.some((s) => s.id === stepId)) return [{ where, message: `${field} refers to \${templates.${name}}, but step '${stepId}' does not run before this one` }];
  const known = outputsOf.get(stepId);
  if (known && !known.includes('*') && !known.includes(output)) {
    return [{ where, advisory: true, message: `${field} refers to \${templates.${name}}: step '${stepId}' is known to give ${known.join(', ')}; '${output}' only exists if ESC's callback carries it` }];
  }
  return [];
}
