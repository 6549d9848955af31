import { CamAction, CamPlan, FlowStep, interpolate, InterpolationContext, stepsOf } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { kindOfTemplateRoot } from './kinds/registry';
import { resthookKind, ResthookDefinition } from './kinds/resthook.kind';
import { ERROR_SEQUENCE_BASE, PlannedStep } from './step-plan';

export const DEFAULT_CONNECTION = 'default';

/** What planning needs of a library template. */
export interface PlannableTemplate {
  id: string;
  name: string;
  version: string;
  resourceKind: string;
}

/**
 * The steps of an action as a deploy fixes them (main sequence, then error_sequence), each with its
 * kind and ESC connection. Call it once checkServiceDocument found nothing blocking.
 */
export async function planAction(
  action: CamAction,
  plan: CamPlan,
  ctx: InterpolationContext,
  findTemplate: (name: string, version: string) => Promise<PlannableTemplate | null>,
): Promise<PlannedStep[]> {
  const fallback = connectionParameterValue(action, plan, ctx) ?? DEFAULT_CONNECTION;
  const planned: PlannedStep[] = [];
  const phases = [
    { phase: 'main' as const, steps: stepsOf(action), base: 0 },
    { phase: 'error' as const, steps: stepsOf(action, undefined, 'error_sequence'), base: ERROR_SEQUENCE_BASE },
  ];
  for (const { phase, steps, base } of phases) {
    for (const step of steps) planned.push(await planStep(step, phase, base + step.sequenceNo, ctx, fallback, findTemplate, action));
  }
  return planned;
}

async function planStep(
  step: FlowStep,
  phase: PlannedStep['phase'],
  sequenceNo: number,
  ctx: InterpolationContext,
  fallback: string,
  findTemplate: (name: string, version: string) => Promise<PlannableTemplate | null>,
  action: CamAction,
): Promise<PlannedStep> {
  const base = { id: step.id, sequenceNo, phase, title: step.title };
  // a resthook is called directly: it runs on no ESC connection
  if (step.kind === 'resthook') return { ...base, kind: resthookKind.kind, connection: '', resthook: step.resthook as ResthookDefinition };
  if (step.kind !== 'template') throw DomainException.invalid(`Action '${action.name}', step '${step.id}': a ${step.kind} step cannot run`);
  const t = step.template;
  const template = await findTemplate(t.template_name!, t.version!);
  if (!template) throw DomainException.conflict(`Action '${action.name}', step '${step.id}': template '${t.template_name}' ${t.version} was deleted meanwhile`);
  const kind = kindOfTemplateRoot(template.resourceKind);
  if (!kind) throw DomainException.invalid(`Action '${action.name}', step '${step.id}': a <${template.resourceKind}> template cannot run as a flow step`);
  const named = typeof t.cloud_connection_name === 'string' && t.cloud_connection_name.trim() ? interpolate(t.cloud_connection_name.trim(), ctx, `cloud_connection_name of step '${step.id}'`) : undefined;
  return {
    ...base,
    kind: kind.kind,
    connection: named || fallback,
    template: { id: template.id, name: template.name, version: template.version },
    params: t.template_params ?? {},
  };
}

/** The value of the action's one `connection` parameter (input or plan), if it has exactly one. */
function connectionParameterValue(action: CamAction, plan: CamPlan, ctx: InterpolationContext): string | undefined {
  const isConnection = (p: { type?: string; customtype?: string }) => (p.type ?? p.customtype) === 'connection';
  const inputs = (action.input_parameters ?? []).filter(isConnection).map((p) => ctx.input_parameters[p.name]);
  const planned = (plan.plan_parameters ?? []).filter(isConnection).map((p) => ctx.plan_parameters[p.name]);
  const values = [...inputs, ...planned].filter((v): v is string => typeof v === 'string' && v !== '');
  return new Set(values).size === 1 ? values[0] : undefined;
}
