import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { InstanceDetails, SERVICE_KIND, ServiceRepository } from '@cam-esc/persistence';
import { DeployInstanceDto } from '../../instances/dto/deploy-instance.dto';
import { DeployInstanceUseCase } from '../../instances/usecases/deploy-instance.usecase';

export interface InvokeActionCommand {
  tenantId: string;
  aceOrgGuid?: string;
  namespace?: string;
  body: unknown;
}

/** ActionInstances/invokeAction: runs a standalone action, as the provision of an instance named `action_data.name`. */
@Injectable()
export class InvokeActionUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly deploy: DeployInstanceUseCase,
  ) {}

  async execute(cmd: InvokeActionCommand): Promise<InstanceDetails> {
    const data = (cmd.body as { action_data?: unknown } | null)?.action_data;
    if (typeof data !== 'object' || data === null) throw DomainException.invalid('action_data: is required: { action_id, name }', { field: 'action_data' });
    const { action_id: actionId, name, resourceProperties } = data as { action_id?: unknown; name?: unknown; resourceProperties?: DeployInstanceDto['resourceProperties'] };
    if (typeof actionId !== 'string' || !actionId) throw DomainException.invalid('action_data.action_id: is required: the id createAction answered', { field: 'action_data.action_id' });
    if (typeof name !== 'string' || !name.trim() || name.length > 255) {
      throw DomainException.invalid('action_data.name: is required: a name for this run, a non-empty string of at most 255 characters', { field: 'action_data.name' });
    }
    checkSpecifications(resourceProperties);
    const version = await this.services.findVersion(cmd.tenantId, actionId, SERVICE_KIND.StandaloneAction);
    const actionName = (version?.document as { actions?: Array<{ name?: string }> } | undefined)?.actions?.[0]?.name;
    if (!version || !actionName) throw DomainException.notFound('action', actionId);
    const body = Object.assign(new DeployInstanceDto(), { name: name.trim(), action: actionName, resourceProperties: resourceProperties ?? { specifications: [] } });
    return this.deploy.execute({ tenantId: cmd.tenantId, versionId: version.id, body, aceOrgGuid: cmd.aceOrgGuid, namespace: cmd.namespace, serviceKind: SERVICE_KIND.StandaloneAction });
  }
}

/** action_data.resourceProperties, as deploy takes it: { specifications: [{ name, value }] }. */
function checkSpecifications(value: unknown): void {
  if (value === undefined) return;
  const field = 'action_data.resourceProperties';
  const specs = (value as { specifications?: unknown } | null)?.specifications;
  if (typeof value !== 'object' || value === null || (specs !== undefined && !Array.isArray(specs))) {
    throw DomainException.invalid(`${field}: must be { "specifications": [{ "name", "value" }] }`, { field });
  }
  (specs ?? []).forEach((s: unknown, i: number) => {
    if (typeof s !== 'object' || s === null || typeof (s as { name?: unknown }).name !== 'string') {
      throw DomainException.invalid(`${field}.specifications[${i}].name: is required and must be a string`, { field: `${field}.specifications[${i}].name` });
    }
  });
}
