import { Injectable } from '@nestjs/common';
import { VersionChangeLookup, versionChangeInputs } from '../lifecycle/version-change';

/** POST ServiceInstances/{id}/versionChangeInputParameters: what a version change needs ({ versionChangeId }). */
@Injectable()
export class VersionChangeInputParametersUseCase {
  constructor(private readonly lookup: VersionChangeLookup) {}

  async execute(tenantId: string, id: string, body: unknown) {
    return { VersionChangeInputParameters: versionChangeInputs(await this.lookup.choose(tenantId, id, body)) };
  }
}
