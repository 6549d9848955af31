import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@cam-esc/errors';
import { TemplateRepository } from '@cam-esc/persistence';
import { TenantId } from '../auth/tenant.decorator';
import { EntityIdPipe } from '../common/entity-id.pipe';
import { CreateTemplateDto } from './dto/create-template.dto';
import { toTemplateView } from './template.view';
import { CreateTemplateUseCase } from './usecases/create-template.usecase';
import { DeleteTemplateUseCase } from './usecases/delete-template.usecase';

/** The ESC template library that catalog flows name by template_name and version. */
@ApiTags('templates')
@ApiBearerAuth()
@Controller('cam/api/v1/templates')
export class TemplatesController {
  constructor(
    private readonly createTemplate: CreateTemplateUseCase,
    private readonly deleteTemplate: DeleteTemplateUseCase,
    private readonly templates: TemplateRepository,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Store an ESC XML template (with ${name} placeholders) in the library' })
  async create(@TenantId() tenantId: string, @Body() dto: CreateTemplateDto) {
    const t = await this.createTemplate.execute({ tenantId, name: dto.name, version: dto.version, content: dto.content });
    return toTemplateView(t, false);
  }

  @Get()
  @ApiOperation({ summary: "List the tenant's templates (without their content)" })
  async list(@TenantId() tenantId: string) {
    return (await this.templates.list(tenantId)).map((t) => toTemplateView(t, false));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a template, with its content' })
  async get(@TenantId() tenantId: string, @Param('id', new EntityIdPipe('template')) id: string) {
    const t = await this.templates.findById(tenantId, id);
    if (!t) throw DomainException.notFound('template', id);
    return toTemplateView(t, true);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a template no service version uses (409 otherwise)' })
  @HttpCode(204)
  async remove(@TenantId() tenantId: string, @Param('id', new EntityIdPipe('template')) id: string): Promise<void> {
    await this.deleteTemplate.execute(tenantId, id);
  }
}
