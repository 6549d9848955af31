import { Injectable } from '@nestjs/common';
import { CamServiceDocument, ESC_TEMPLATE_TYPE } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { ServiceRepository, TemplateRepository } from '@cam-esc/persistence';

/** Deletes a library template, unless a service version's flow still names it. */
@Injectable()
export class DeleteTemplateUseCase {
  constructor(
    private readonly templates: TemplateRepository,
    private readonly services: ServiceRepository,
  ) {}

  async execute(tenantId: string, id: string): Promise<void> {
    const template = await this.templates.findById(tenantId, id);
    if (!template) throw DomainException.notFound('template', id);
    const users: string[] = [];
    for (const service of await this.services.withDocuments(tenantId)) {
      for (const version of service.versions) {
        const doc = version.document as unknown as CamServiceDocument;
        const uses = doc.actions.some((action) =>
          (action.flow?.templates ?? []).some((entry) =>
            Object.values(entry).some((t) => t.template_type === ESC_TEMPLATE_TYPE && t.template_name === template.name && t.version === template.version),
          ),
        );
        if (uses) users.push(`'${service.name}' ${version.version}`);
      }
    }
    if (users.length > 0) {
      throw DomainException.conflict(`template '${template.name}' ${template.version} is used by service version(s) ${users.join(', ')}; remove it from their flows first`);
    }
    await this.templates.delete(tenantId, id);
  }
}
