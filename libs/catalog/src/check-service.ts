import { ESC_TEMPLATE_TYPE, CamAction, CamParameter, CamPlan, CamServiceDocument } from './service-document';
import { stepsOf, unknownSequenceEntries } from './flow-steps';

/** What the checker needs of a library template. */
export interface TemplateInfo {
  name: string;
  version: string;
  resourceKind: string;
  placeholders: string[];
}

export type FindTemplate = (name: string, version: string) => Promise<TemplateInfo | null>;

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
/** The namespaces a `${namespace.name}` in template_params may use. */
const REFERENCE_NAMESPACES = ['input_parameters', 'plan_parameters', 'svc_instance', 'templates'];
/** Only these kinds of template can run so far (the flow-engine issue adds the others). */
const RUNNABLE_KINDS = ['esc_datamodel'];

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
export async function checkServiceDocument(doc: CamServiceDocument, findTemplate: FindTemplate, only: { actionName?: string; planName?: string } = {}): Promise<CatalogProblem[]> {
  const problems: CatalogProblem[] = [];
  const plans = (doc.plans ?? []).filter((p) => !only.planName || p.name === only.planName);
  for (const plan of plans) problems.push(...parameterProblems(`Plan '${plan.name}'`, plan.plan_parameters));
  for (const action of doc.actions.filter((a) => !only.actionName || a.name === only.actionName)) {
    problems.push(...parameterProblems(`Action '${action.name}'`, action.input_parameters));
    problems.push(...(await flowProblems(action, plans, findTemplate)));
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

async function flowProblems(action: CamAction, plans: CamPlan[], findTemplate: FindTemplate): Promise<CatalogProblem[]> {
  const problems: CatalogProblem[] = [];
  const unknown = unknownSequenceEntries(action);
  for (const { position, id } of unknown) {
    problems.push({ where: `Action '${action.name}'`, message: `flow.sequence.${position} names '${id}', which is no template, resthook or notification of the flow` });
  }
  if (unknown.length) return problems;
  for (const step of stepsOf(action)) {
    const where = `Action '${action.name}', step '${step.id}'`;
    if (step.kind === 'notification') {
      problems.push({ where, message: 'email notifications are not sent by this gateway; the action cannot be deployed until the step is removed from its sequence' });
      continue;
    }
    if (step.kind === 'resthook') {
      problems.push({ where, message: 'resthook steps are not run by this gateway yet; the action cannot be deployed until it is removed' });
      continue;
    }
    const t = step.template;
    if (t.template_type !== ESC_TEMPLATE_TYPE) {
      problems.push({ where, message: `template '${t.template_name ?? step.title}' is of type '${t.template_type ?? 'unknown'}'; only 'ESC' templates can run on ESC` });
      continue;
    }
    if (!t.template_name || !t.version) {
      problems.push({ where, message: 'an ESC step needs template_name and version of a template of the library' });
      continue;
    }
    const params = t.template_params ?? {};
    problems.push(...referenceProblems(where, params, action, plans));
    const template = await findTemplate(t.template_name, t.version);
    if (!template) {
      problems.push({ where, message: `ESC template '${t.template_name}' version '${t.version}' is not in the template library` });
      continue;
    }
    if (!RUNNABLE_KINDS.includes(template.resourceKind)) {
      problems.push({ where, message: `template '${template.name}' makes an ESC ${template.resourceKind}; only esc_datamodel (deployment) templates can be deployed so far` });
    }
    const missing = template.placeholders.filter((p) => !Object.hasOwn(params, p));
    if (missing.length) problems.push({ where, message: `template_params give no value for placeholder(s) ${missing.map((p) => `\${${p}}`).join(', ')} of template '${template.name}'` });
    const extra = Object.keys(params).filter((k) => !template.placeholders.includes(k));
    if (extra.length) problems.push({ where, advisory: true, message: `template_params name ${extra.map((k) => `'${k}'`).join(', ')}, which template '${template.name}' has no placeholder for` });
  }
  return problems;
}

/** `${ns.name}` references in step parameters: unknown namespaces, undefined parameters, and text that looks like a mistyped placeholder. */
function referenceProblems(where: string, params: Record<string, unknown>, action: CamAction, plans: CamPlan[]): CatalogProblem[] {
  const inputs = new Set((action.input_parameters ?? []).map((p) => p.name));
  const planned = new Set(plans.flatMap((p) => (p.plan_parameters ?? []).map((q) => q.name)));
  const problems: CatalogProblem[] = [];
  const undefinedRefs = new Set<string>();
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'string') continue;
    for (const [, ns, name] of value.matchAll(/\$\{([A-Za-z0-9_]+)\.([A-Za-z0-9_.-]+)\}/g)) {
      if (!REFERENCE_NAMESPACES.includes(ns)) {
        problems.push({ where, message: `template_params.${key} refers to \${${ns}.${name}}: '${ns}' is not a namespace (use ${REFERENCE_NAMESPACES.join(', ')})` });
      } else if ((ns === 'input_parameters' && !inputs.has(name)) || (ns === 'plan_parameters' && !planned.has(name))) {
        undefinedRefs.add(`${ns}.${name}`);
      }
    }
    const stripped = value.replace(/\$\{[^${}]*\}/g, '');
    if (/\$\{|\$[A-Za-z_][A-Za-z0-9_.]*\}|\{[A-Za-z_][A-Za-z0-9_.]*\}/.test(stripped)) {
      problems.push({ where, advisory: true, message: `template_params.${key} has text that looks like a mistyped placeholder ('${value.slice(0, 80)}'); write \${name}` });
    }
  }
  for (const ref of undefinedRefs) problems.push({ where, message: `template_params refer to \${${ref}}, which neither the action's input parameters nor any plan defines` });
  return problems;
}
