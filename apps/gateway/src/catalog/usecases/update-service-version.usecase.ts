import { Injectable } from '@nestjs/common';
import { CamServiceDocument } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { Prisma, ServiceRepository, ServiceVersionRepository, VersionWithService } from '@cam-esc/persistence';
import { ServiceDocumentIntake } from '../service-document-intake';
import { canonicalJson } from '../../common/canonical-json';

/**
 * ServiceManifest/{id}/updateServiceVersion: replaces a version's document. The flows of a
 * Published version that live instances were deployed from cannot change (those instances run on
 * them); its descriptions and plans' texts can.
 */
@Injectable()
export class UpdateServiceVersionUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
    private readonly intake: ServiceDocumentIntake,
  ) {}

  async execute(tenantId: string, versionId: string, body: unknown): Promise<{ version: VersionWithService; warnings: string[] }> {
    const current = await this.services.findVersion(tenantId, versionId);
    if (!current) throw DomainException.notFound('service version', versionId);
    const accepted = await this.intake.accept(tenantId, body, current.service);
    const { document } = accepted;
    let { warnings } = accepted;
    if ((body as { service?: { version?: unknown } }).service?.version === undefined) {
      // an edit without a label keeps the version's own (rather than CAM's default for a new service)
      document.version = current.version;
      warnings = warnings.filter((w) => !w.startsWith("No 'version'"));
    }
    if (document.version !== current.version && (await this.versions.findByLabel(current.serviceId, document.version!))) {
      throw DomainException.conflict(`service.version: service '${current.service.name}' already has a version '${document.version}'`);
    }
    if (current.status === 'Published' && flowsChanged(current.document as unknown as CamServiceDocument, document)) {
      const live = (await this.versions.liveInstanceCounts([current.id])).get(current.id)!;
      if (live > 0) {
        throw DomainException.conflict(
          `service.actions: version '${current.version}' is Published and ${live} live instance(s) run on its flows, which therefore cannot change; add a new version instead (Service/{id}/addServiceVersion)`,
        );
      }
    }
    const version = await this.versions.updateDocument(current.id, document.version!, document as unknown as Prisma.InputJsonValue);
    return { version, warnings };
  }
}

/** Key order does not count (PostgreSQL's jsonb keeps its own). */
function flowsChanged(before: CamServiceDocument, after: CamServiceDocument): boolean {
  const flows = (doc: CamServiceDocument) => canonicalJson(doc.actions.map((a) => [a.name, a.type, a.input_parameters ?? [], a.flow ?? {}]));
  return flows(before) !== flows(after);
}
