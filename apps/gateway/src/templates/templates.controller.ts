import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@cam-esc/errors';
import { TemplateRepository } from '@cam-esc/persistence';
import { TenantId } from '../auth/tenant.decorator';
import { EntityIdPipe } from '../common/entity-id.pipe';
import { CreateTemplateDto } from './dto/create-template.dto';
import { toTemplateView } from './template.view';
import { CreateTemplateUseCase } from './usecases/create-template.usecase';

/** The ESC template library that catalog flows name by template_name and version. */
@ApiTags('templates')
@ApiBearerAuth()
@Controller('cam/api/v1/templates')
export class TemplatesController {
  constructor(
    private readonly createTemplate: CreateTemplateUseCase,
    private readonly templates: TemplateRepository,
  ) {}

  @Post()
  async create(@TenantId() tenantId: string, @Body() dto: CreateTemplateDto) {
    const t = await this.createTemplate.execute({ tenantId, name: dto.name, version: dto.version, content: dto.content });
    return toTemplateView(t, false);
  }

  @Get()
  async list(@TenantId() tenantId: string) {
    return (await this.templates.list(tenantId)).map((t) => toTemplateView(t, false));
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id', new EntityIdPipe('template')) id: string) {
    const t = await this.templates.findById(tenantId, id);
    if (!t) throw DomainException.notFound('template', id);
    return toTemplateView(t, true);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@TenantId() tenantId: string, @Param('id', new EntityIdPipe('template')) id: string): Promise<void> {
    if (!(await this.templates.delete(tenantId, id))) throw DomainException.notFound('template', id);
  }
}
