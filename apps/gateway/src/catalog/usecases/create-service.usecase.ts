import { Injectable } from '@nestjs/common';
import { CamAction, CamPlan, ESC_TEMPLATE_TYPE, normalizeServiceDocument, stepsOf } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { Prisma, ServiceRepository, TemplateRepository, VersionWithService } from '@cam-esc/persistence';

export interface CreateServiceCommand {
  tenantId: string;
  namespaceId: string;
  body: unknown;
}

export interface CreatedService {
  version: VersionWithService;
  warnings: string[];
}

/**
 * Stores a service with its default version, as CAM does: structural errors are 400s, while what
 * only stops a deploy (a Terraform step, an unknown ESC template...) is saved with a warning.
 */
@Injectable()
export class CreateServiceUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly templates: TemplateRepository,
  ) {}

  async execute(cmd: CreateServiceCommand): Promise<CreatedService> {
    const { document, warnings } = normalizeServiceDocument(cmd.body);
    const meta = document.catalog_metadata;
    if (await this.services.findByName(cmd.tenantId, meta.name)) {
      throw DomainException.conflict(`service.catalog_metadata.name: a service named '${meta.name}' already exists`);
    }
    warnings.push(...(await this.flowWarnings(cmd.tenantId, document.actions, document.plans ?? [])));
    const version = await this.services.createWithDefaultVersion({
      tenantId: cmd.tenantId,
      namespaceId: cmd.namespaceId,
      name: meta.name,
      author: meta.author ?? 'admin',
      image: meta.image ?? 'serviceicon_1.svg',
      description: meta.description ?? '',
      longDescription: meta.longDescription ?? '',
      version: document.version!,
      document: document as unknown as Prisma.InputJsonValue,
    });
    return { version, warnings };
  }

  private async flowWarnings(tenantId: string, actions: CamAction[], plans: CamPlan[]): Promise<string[]> {
    const warnings: string[] = [];
    for (const action of actions) {
      for (const step of stepsOf(action)) {
        const where = `Action '${action.name}', step '${step.id}'`;
        if (step.kind === 'resthook') {
          warnings.push(`${where}: resthook steps are not run by this gateway; the action cannot be deployed until it is removed \n`);
          continue;
        }
        const t = step.template;
        if (t.template_type !== ESC_TEMPLATE_TYPE) {
          warnings.push(
            `${where}: template '${t.template_name ?? step.title}' is of type '${t.template_type ?? 'unknown'}' and cannot run on ESC; only 'ESC' templates can be deployed by this gateway \n`,
          );
          continue;
        }
        if (!t.template_name || !t.version) {
          warnings.push(`${where}: an ESC step needs template_name and version of a template of the library \n`);
          continue;
        }
        const stored = await this.templates.findByNameAndVersion(tenantId, t.template_name, t.version);
        if (!stored) {
          warnings.push(`${where}: ESC template '${t.template_name}' version '${t.version}' is not in the template library \n`);
          continue;
        }
        const missing = stored.placeholders.filter((p) => !Object.hasOwn(t.template_params ?? {}, p));
        if (missing.length) warnings.push(`${where}: template_params give no value for placeholder(s) ${missing.map((p) => `\${${p}}`).join(', ')} \n`);
        for (const ref of undefinedReferences(t.template_params ?? {}, action, plans)) {
          warnings.push(`${where}: template_params refer to \${${ref}}, which neither the action's input parameters nor any plan defines \n`);
        }
      }
    }
    return warnings;
  }
}

/** `${input_parameters.X}` / `${plan_parameters.X}` references in step parameters that nothing defines. */
function undefinedReferences(params: Record<string, unknown>, action: CamAction, plans: CamPlan[]): string[] {
  const inputs = new Set((action.input_parameters ?? []).map((p) => p.name));
  const planned = new Set(plans.flatMap((p) => (p.plan_parameters ?? []).map((q) => q.name)));
  const refs = new Set<string>();
  for (const value of Object.values(params)) {
    if (typeof value !== 'string') continue;
    for (const [, ns, name] of value.matchAll(/\$\{(input_parameters|plan_parameters)\.([A-Za-z0-9_.-]+)\}/g)) {
      if (ns === 'input_parameters' ? !inputs.has(name) : !planned.has(name)) refs.add(`${ns}.${name}`);
    }
  }
  return [...refs];
}
