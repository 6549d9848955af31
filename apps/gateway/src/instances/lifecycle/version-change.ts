import { SecretBox } from '@cam-esc/secrets';
import { Injectable } from '@nestjs/common';
import { CamServiceDocument, MASK } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { InstanceDetails, InstanceRepository, ServiceRepository, ServiceVersionRepository, VersionWithService } from '@cam-esc/persistence';
import { currentFlowAction, flowActionName, givenValues, knownFields, provisionActionOf, requiredString } from './instance-values';
import { VersionChangePath, versionChangePaths } from './version-change-paths';

/** A version change an instance asked for, with both ends read. */
export interface ChosenVersionChange {
  instance: InstanceDetails;
  path: VersionChangePath;
  target: VersionWithService;
  /** The instance's current values, as given. */
  current: Record<string, unknown>;
}

/** Finds the path a versionChangeId names among the instance's (GET …?filter[include]=UpgradePaths answers them). */
@Injectable()
export class VersionChangeLookup {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly versions: ServiceVersionRepository,
    private readonly services: ServiceRepository,
    private readonly box: SecretBox,
  ) {}

  /** `fields`: what the call's body may hold besides versionChangeId. */
  async choose(tenantId: string, id: string, body: unknown, fields: readonly string[] = []): Promise<ChosenVersionChange> {
    const given = knownFields(body, ['versionChangeId', ...fields], 'body');
    const versionChangeId = requiredString(given.versionChangeId, 'versionChangeId', "the id of one of the instance's UpgradePaths or DowngradePaths (GET ServiceInstances/{id}?filter[include]=UpgradePaths&filter[include]=DowngradePaths)");
    const instance = await this.instances.findDetails(tenantId, id);
    if (!instance) throw DomainException.notFound('service instance', id);
    const { upgrades, downgrades } = versionChangePaths(instance.serviceVersion, await this.versions.allOfService(instance.serviceId));
    const path = [...upgrades, ...downgrades].find((p) => p.id === versionChangeId);
    if (!path) {
      const open = [...upgrades, ...downgrades].map((p) => `${p.id} (${p.type} to ${p.toVersion})`).join(', ');
      throw DomainException.invalid(`versionChangeId: '${versionChangeId.slice(0, 100)}' is not a version change path of this instance at version ${instance.serviceVersion.version} (open: ${open || 'none'})`, { field: 'versionChangeId' });
    }
    const target = await this.services.findVersion(tenantId, path.toVersionId);
    if (!target) throw DomainException.conflict(`service version ${path.toVersionId} was deleted meanwhile`);
    return { instance, path, target, current: givenValues(currentFlowAction(instance), instance, this.box) };
  }
}

/**
 * The input parameters of a version change, as the seed explains them: input_parameters are the
 * target's (defaults replaced by the current value where the instance has one), new_parameters the
 * target has and the current version has not, used_old_parameters both have, ignored_old_parameters
 * only the current version has.
 */
export function versionChangeInputs(chosen: ChosenVersionChange) {
  const from = provisionActionOf(chosen.instance.serviceVersion.document as unknown as CamServiceDocument, flowActionName(currentFlowAction(chosen.instance))).input_parameters ?? [];
  const to = provisionActionOf(chosen.target.document as unknown as CamServiceDocument).input_parameters ?? [];
  const fromNames = new Set(from.map((p) => p.name));
  const toNames = new Set(to.map((p) => p.name));
  const secured = new Set(currentFlowAction(chosen.instance)?.securedNames ?? []);
  return {
    versionChangeId: chosen.path.id,
    toVersion: chosen.path.toVersion,
    toVersionId: chosen.path.toVersionId,
    type: chosen.path.type,
    input_parameters: to.map((p) => {
      const isSecret = secured.has(p.name) || p.secured || p.type === 'password';
      if (!fromNames.has(p.name) || !(p.name in chosen.current)) return isSecret && p.default !== undefined && p.default !== '' ? { ...p, default: MASK } : p;
      return { ...p, default: isSecret ? MASK : chosen.current[p.name] };
    }),
    pre_action_input_parameters: [],
    post_action_input_parameters: [],
    new_parameters: to.filter((p) => !fromNames.has(p.name)).map((p) => p.name),
    used_old_parameters: from.filter((p) => toNames.has(p.name)).map((p) => p.name),
    ignored_old_parameters: from.filter((p) => !toNames.has(p.name)).map((p) => p.name),
  };
}
