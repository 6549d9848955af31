import { Controller, Delete, Get, HttpCode, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiCamQuery, ApiErrors, ApiOk, LIST_HEADERS } from '../openapi/api-responses';
import iconUploaded from '../openapi/examples/icon_upload.response.json';
import iconsList from '../openapi/examples/icons_list.response.json';
import { ICON_ENTRY_SCHEMA, ICON_UPLOADED_SCHEMA } from '../openapi/schemas';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Icon, IconMeta } from '@cam-esc/persistence';
import { Response } from 'express';
import { TenantId } from '../auth/tenant.decorator';
import { EntityIdPipe } from '../common/entity-id.pipe';
import { ListSpec, parseListFilter, RawQuery, reportCappedLimit } from '../common/list-filter';
import { IconUploadInterceptor } from './icon-upload.interceptor';
import { UploadedIcon, UploadIconUseCase } from './usecases/upload-icon.usecase';
import { ListIconsUseCase } from './usecases/list-icons.usecase';
import { DownloadIconByNameUseCase } from './usecases/download-icon-by-name.usecase';
import { DownloadIconUseCase } from './usecases/download-icon.usecase';
import { DeleteIconUseCase } from './usecases/delete-icon.usecase';
import { RequiresRole, Role } from '../auth/roles';

const iconId = new EntityIdPipe('icon');
const ICON_LIST: ListSpec<'createdAt', 'id' | 'name' | 'contentType'> = {
  order: { creationTime: 'createdAt' },
  defaultOrder: { field: 'createdAt', direction: 'asc' },
  where: { id: 'id', name: 'name', ContentType: 'contentType', ContentTye: 'contentType' },
};

/** CAM's spelling is ContentTye (sic); ContentType is given too. */
const toIconEntry = (i: IconMeta) => ({ ContentTye: i.contentType, ContentType: i.contentType, name: i.name, id: i.id, size: i.size });

/** Service icons (icons/...). */
@ApiTags('CAM icons')
@ApiBearerAuth()
@ApiCamQuery({ namespace: false })
@RequiresRole(Role.CatalogAdmin)
@Controller('cam/composer/api/v1/icons')
export class IconsController {
  constructor(
    private readonly uploadIcon: UploadIconUseCase,
    private readonly listIcons: ListIconsUseCase,
    private readonly downloadIconByName: DownloadIconByNameUseCase,
    private readonly downloadIcon: DownloadIconUseCase,
    private readonly deleteIcon: DeleteIconUseCase,
  ) {}

  @Post('upload')
  @ApiOk(ICON_UPLOADED_SCHEMA, iconUploaded)
  @ApiErrors(400, 409, 415)
  @HttpCode(200)
  @UseInterceptors(IconUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['icon'], properties: { icon: { type: 'string', format: 'binary', description: 'under 1 MB; image/jpeg, image/gif, image/png or application/xml (SVG); a unique file name' } } } })
  @ApiOperation({ summary: 'Upload a service icon (multipart field icon); answers {res: {name, id}}' })
  async upload(@TenantId() tenantId: string, @UploadedFile() file: UploadedIcon | undefined) {
    const icon = await this.uploadIcon.execute(tenantId, file);
    return { res: { name: icon.name, id: icon.id } };
  }

  @Get()
  @ApiOk({ type: 'array', items: ICON_ENTRY_SCHEMA }, iconsList, 200, 'OK', LIST_HEADERS)
  @ApiErrors(400)
  @ApiOperation({ summary: "The icons: the built-in serviceicon_1.svg to _3.svg (unless the tenant replaced one with its own of that name), then the tenant's (filter[where][name|id|ContentType], filter[limit|skip])" })
  async list(@TenantId() tenantId: string, @RawQuery() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const filter = parseListFilter(query, ICON_LIST);
    reportCappedLimit(res, filter);
    return (await this.listIcons.execute(tenantId, filter)).map(toIconEntry);
  }

  @Get('name/:name')
  @ApiOk({ type: 'string', format: 'binary' })
  @ApiErrors(404)
  @ApiProduces('image/png', 'image/jpeg', 'image/gif', 'application/xml')
  @ApiOperation({ summary: 'Download an icon by its name (the seed\'s path)' })
  async downloadByName(@TenantId() tenantId: string, @Param('name') name: string, @Res({ passthrough: true }) res: Response) {
    return send(res, await this.downloadIconByName.execute(tenantId, name));
  }

  @Get(':id/download')
  @ApiOk({ type: 'string', format: 'binary' })
  @ApiErrors(404)
  @ApiProduces('image/png', 'image/jpeg', 'image/gif', 'application/xml')
  @ApiOperation({ summary: 'Download an icon by its id' })
  async download(@TenantId() tenantId: string, @Param('id', iconId) id: string, @Res({ passthrough: true }) res: Response) {
    return send(res, await this.downloadIcon.execute(tenantId, id));
  }

  @Delete(':id')
  @ApiOk({ type: 'object', properties: { count: { type: 'integer' } } })
  @ApiErrors(404, 409)
  @HttpCode(200)
  @ApiOperation({ summary: "Delete one of the tenant's icons (the built-in serviceicon_1.svg to _3.svg stay: 409)" })
  remove(@TenantId() tenantId: string, @Param('id', iconId) id: string) {
    return this.deleteIcon.execute(tenantId, id);
  }
}

function send(res: Response, icon: Icon): StreamableFile {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // an SVG sent as application/xml is served as a download, never rendered in the gateway's origin
  res.setHeader('Content-Security-Policy', "default-src 'none'");
  const ascii = icon.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new StreamableFile(Buffer.from(icon.content), { type: icon.contentType, length: icon.size, disposition: `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(icon.name)}` });
}
