import { Injectable } from '@nestjs/common';
import { CamParameter, CamServiceDocument, MASK } from '@cam-esc/catalog';
import { EscConnections, SharedParameters } from '@cam-esc/connections';
import { DomainException } from '@cam-esc/errors';
import { InstanceRepository } from '@cam-esc/persistence';
import { maskedInputParameters } from '../instance-history.view';
import { SecuredValues } from '../secured-values';
import { toInstanceView } from '../instance.view';
import { currentFlowAction, flowActionName, givenValues, provisionActionOf } from '../lifecycle/instance-values';

/**
 * GET ServiceInstances/{id}/getInputParameters: the instance's record with InputParameters, the
 * current value of every input parameter of its provision action next to its definition. A shared
 * parameter shows the set it names (its secured keys masked), a connection the controller it names;
 * secured values are masked. What a portal shows before an update, retry or resume.
 */
@Injectable()
export class GetInputParametersUseCase {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly sharedParameters: SharedParameters,
    private readonly connections: EscConnections,
    private readonly secured: SecuredValues,
  ) {}

  async execute(tenantId: string, id: string) {
    const instance = await this.instances.findDetails(tenantId, id);
    if (!instance) throw DomainException.notFound('service instance', id);
    const flowAction = currentFlowAction(instance);
    const doc = instance.serviceVersion.document as unknown as CamServiceDocument;
    const definitions = provisionActionOf(doc, flowActionName(flowAction)).input_parameters ?? [];
    const given = givenValues(flowAction, instance);
    const resolved = flowAction ? maskedInputParameters(flowAction) : {};
    const secured = new Set(flowAction?.securedNames ?? []);
    const input_parameters = [];
    for (const def of definitions) {
      const isSecured = secured.has(def.name) || def.secured === true;
      const type = String(def.type ?? def.customtype ?? 'string');
      // not given: what the flow ran with; a shared parameter's is its set, so it shows the name the default gives
      const ran = type === 'sharedparameter' ? (plannedDefault(flowAction, def.name) ?? def.default) : resolved[def.name];
      const value = isSecured ? MASK : (given[def.name] ?? ran ?? def.default ?? '');
      input_parameters.push({ ...def, ...(isSecured && def.default !== undefined ? { default: MASK } : {}), value, ...(await this.resolvedOf(tenantId, def, value)) });
    }
    return {
      ...toInstanceView(instance, this.secured.of(instance.actions)),
      InputParameters: { input_parameters, pre_action_input_parameters: [], post_action_input_parameters: [] },
    };
  }

  /** What a shared parameter or connection value stands for, without its secrets. */
  private async resolvedOf(tenantId: string, def: CamParameter, value: unknown): Promise<Record<string, unknown>> {
    const type = String(def.type ?? def.customtype ?? 'string');
    if (typeof value !== 'string' || !value || value === MASK) return {};
    if (type === 'sharedparameter') {
      const set = await this.sharedParameters.resolve(tenantId, value);
      if (!set) return { resolved_value: null, resolution: `shared parameter '${value}' no longer exists` };
      const values = Object.fromEntries(Object.entries(set.values).map(([k, v]) => [k, set.securedKeys.includes(k) ? MASK : v]));
      return { resolved_value: values, datatype: set.datatype };
    }
    if (type === 'connection') {
      if (!(await this.connections.exists(tenantId, value))) return { resolved_value: null, resolution: `ESC connection '${value}' no longer exists` };
      const target = await this.connections.resolve(tenantId, value);
      return { resolved_value: { name: target.name, url: target.url } };
    }
    return {};
  }
}

/** The plan's default of a parameter the action ran with (a plan may give a shared parameter's name). */
function plannedDefault(action: { parameters: unknown } | undefined, name: string): unknown {
  const value = (action?.parameters as { plan_parameters?: Record<string, unknown> } | undefined)?.plan_parameters?.[name];
  return typeof value === 'string' ? value : undefined;
}
