import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { parseEscTemplate } from '@cam-esc/esc';
import { EscTemplate, TemplateRepository } from '@cam-esc/persistence';

export interface CreateTemplateCommand {
  tenantId: string;
  name: string;
  version: string;
  content: string;
}

@Injectable()
export class CreateTemplateUseCase {
  constructor(private readonly templates: TemplateRepository) {}

  async execute(cmd: CreateTemplateCommand): Promise<{ template: EscTemplate; warnings: string[] }> {
    const parsed = parseEscTemplate(cmd.content);
    if (await this.templates.findByNameAndVersion(cmd.tenantId, cmd.name, cmd.version)) {
      throw DomainException.conflict(`template '${cmd.name}' version '${cmd.version}' already exists; store a new version instead`);
    }
    const template = await this.templates.create({ ...cmd, resourceKind: parsed.resourceKind, placeholders: parsed.placeholders });
    return { template, warnings: parsed.warnings };
  }
}
