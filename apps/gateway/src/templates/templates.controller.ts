import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrors, ApiOk, LIST_HEADERS } from '../openapi/api-responses';
import { TEMPLATE_SCHEMA } from '../openapi/schemas';
import { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@cam-esc/errors';
import { TemplateRepository } from '@cam-esc/persistence';
import { TenantId } from '../auth/tenant.decorator';
import { EntityIdPipe } from '../common/entity-id.pipe';
import { CreateTemplateDto, NewTemplateVersionDto } from './dto/create-template.dto';
import { ListSpec, parseListFilter, RawQuery, reportCappedLimit } from '../common/list-filter';
import { toTemplateView } from './template.view';
import { CreateTemplateUseCase } from './usecases/create-template.usecase';
import { DeleteTemplateUseCase } from './usecases/delete-template.usecase';
import { RequiresRole, Role } from '../auth/roles';

const TEMPLATE_LIST: ListSpec<'name' | 'createdAt' | 'updatedAt', 'name' | 'version' | 'resourceKind' | 'type'> = {
  order: { name: 'name', creationTime: 'createdAt', lastUpdated: 'updatedAt' },
  defaultOrder: { field: 'name', direction: 'asc' },
  where: { name: 'name', version: 'version', resource: 'resourceKind', type: 'type' },
};

/** The ESC template library that catalog flows name by template_name and version. */
@ApiTags('templates')
@ApiBearerAuth()
@RequiresRole(Role.CatalogAdmin)
@Controller('cam/api/v1/templates')
export class TemplatesController {
  constructor(
    private readonly createTemplate: CreateTemplateUseCase,
    private readonly deleteTemplate: DeleteTemplateUseCase,
    private readonly templates: TemplateRepository,
  ) {}

  @Post()
  @ApiOk(TEMPLATE_SCHEMA, undefined, 201, 'Created')
  @ApiErrors(400, 409, 415)
  @ApiOperation({ summary: 'Store an ESC XML template (with ${name} placeholders) in the library; warning lists text that looks like a mistyped placeholder' })
  async create(@TenantId() tenantId: string, @Body() dto: CreateTemplateDto) {
    const { template, warnings } = await this.createTemplate.execute({ tenantId, name: dto.name, version: dto.version, content: dto.content });
    return toTemplateView(template, false, warnings);
  }

  @Post(':id/versions')
  @ApiOk(TEMPLATE_SCHEMA, undefined, 201, 'Created')
  @ApiErrors(400, 404, 409, 415)
  @ApiOperation({ summary: 'Store a new version of a template (same name): {version, content}' })
  async newVersion(@TenantId() tenantId: string, @Param('id', new EntityIdPipe('template')) id: string, @Body() dto: NewTemplateVersionDto) {
    const base = await this.templates.findById(tenantId, id);
    if (!base) throw DomainException.notFound('template', id);
    const { template, warnings } = await this.createTemplate.execute({ tenantId, name: base.name, version: dto.version, content: dto.content });
    return toTemplateView(template, false, warnings);
  }

  @Get()
  @ApiOk({ type: 'array', items: TEMPLATE_SCHEMA }, undefined, 200, 'OK', LIST_HEADERS)
  @ApiErrors(400)
  @ApiOperation({ summary: "List the tenant's templates, without their content (filter[where][name|version|resource|type], filter[order], filter[limit|skip])" })
  async list(@TenantId() tenantId: string, @RawQuery() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const filter = parseListFilter(query, TEMPLATE_LIST);
    reportCappedLimit(res, filter);
    const { type, ...where } = filter.where;
    if (type !== undefined && type !== 'ESC') return []; // the library holds ESC templates only
    return (await this.templates.list(tenantId, where, filter)).map((t) => toTemplateView(t, false));
  }

  @Get(':id')
  @ApiOk(TEMPLATE_SCHEMA)
  @ApiErrors(404)
  @ApiOperation({ summary: 'Read a template, with its content' })
  async get(@TenantId() tenantId: string, @Param('id', new EntityIdPipe('template')) id: string) {
    const t = await this.templates.findById(tenantId, id);
    if (!t) throw DomainException.notFound('template', id);
    return toTemplateView(t, true);
  }

  @Delete(':id')
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiErrors(404, 409)
  @ApiOperation({ summary: 'Delete a template no service version uses (409 otherwise)' })
  @HttpCode(204)
  async remove(@TenantId() tenantId: string, @Param('id', new EntityIdPipe('template')) id: string): Promise<void> {
    await this.deleteTemplate.execute(tenantId, id);
  }
}
