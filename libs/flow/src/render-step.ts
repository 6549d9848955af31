import { InterpolationContext, resolveTemplateParams } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { CompiledTemplate, xmlValueProblem } from '@cam-esc/esc';
import { stepKind } from './kinds/registry';
import { NewIdentity, RenderedCreate } from './kinds/step-kind';
import { PlannedStep } from './step-plan';

/**
 * The create request of a planned step with the values of this moment (earlier steps' outputs
 * included): a rendered ESC XML for an ESC kind, the HTTP call for a resthook. Throws
 * DomainException naming the step's field and the rule.
 */
export function renderStep(step: PlannedStep, ctx: InterpolationContext, identity: NewIdentity, template?: CompiledTemplate): RenderedCreate {
  const kind = stepKind(step.kind);
  if (kind.transport === 'http') {
    const request = kind.render(step.resthook!, ctx);
    return { request, name: step.id, escTenant: '', outputs: {} };
  }
  if (!template) throw new Error(`step '${step.id}' renders an ESC ${kind.kind} without its template`);
  const values = resolveTemplateParams(step.id, step.params ?? {}, ctx);
  for (const [name, value] of Object.entries(values)) {
    const problem = xmlValueProblem(value);
    if (problem) throw DomainException.invalid(`template_params.${name} of step '${step.id}' ${problem}`, { field: `template_params.${name}` });
  }
  return kind.renderCreate(template, values, identity);
}
