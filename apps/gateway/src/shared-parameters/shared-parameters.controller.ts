import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainException } from '@cam-esc/errors';
import { TenantId } from '../auth/tenant.decorator';
import { EntityIdPipe } from '../common/entity-id.pipe';
import { KnownFieldsPipe } from '../connections/known-fields.pipe';
import { ApiCamQuery, ApiErrors, ApiOk } from '../openapi/api-responses';
import { CreateSharedParameterDto, SHARED_PARAMETER_FIELDS, SHARED_PARAMETER_READ_ONLY_FIELDS, UpdateSharedParameterDto } from './dto/shared-parameter.dto';
import { CREATE_SHARED_PARAMETER_EXAMPLE, SHARED_PARAMETER_EXAMPLE, SHARED_PARAMETER_SCHEMA } from './shared-parameter.openapi';
import { DATATYPE, SECURED_MASK } from './shared-parameter-values';
import { CreateSharedParameterUseCase } from './usecases/create-shared-parameter.usecase';
import { DeleteSharedParameterUseCase } from './usecases/delete-shared-parameter.usecase';
import { GetSharedParameterUseCase } from './usecases/get-shared-parameter.usecase';
import { ListSharedParametersUseCase } from './usecases/list-shared-parameters.usecase';
import { UpdateSharedParameterUseCase } from './usecases/update-shared-parameter.usecase';
import { RequiresRole, Role } from '../auth/roles';

const knownFields = new KnownFieldsPipe('a shared parameter', SHARED_PARAMETER_FIELDS, SHARED_PARAMETER_READ_ONLY_FIELDS);
const sharedParameterId = new EntityIdPipe('shared parameter');

/** CAM shared parameters: named sets of values of a datatype, which `sharedparameter` parameters name. */
@ApiTags('shared parameters')
@ApiBearerAuth()
@ApiCamQuery({ namespace: false })
@RequiresRole(Role.CatalogAdmin)
@Controller('cam/api/v1/sharedparameters')
export class SharedParametersController {
  constructor(
    private readonly createParameter: CreateSharedParameterUseCase,
    private readonly listParameters: ListSharedParametersUseCase,
    private readonly getParameter: GetSharedParameterUseCase,
    private readonly updateParameter: UpdateSharedParameterUseCase,
    private readonly deleteParameter: DeleteSharedParameterUseCase,
  ) {}

  @Post()
  @ApiBody({ type: CreateSharedParameterDto, examples: { bastion: { value: CREATE_SHARED_PARAMETER_EXAMPLE } } })
  @ApiOk(SHARED_PARAMETER_SCHEMA, SHARED_PARAMETER_EXAMPLE, 201, 'Created')
  @ApiErrors(400, 409, 415)
  @ApiOperation({ summary: `Store a shared parameter; the values of secured_keys are kept encrypted and shown as "${SECURED_MASK}" (409 when the name is taken)` })
  create(@TenantId() tenantId: string, @Body(knownFields) dto: CreateSharedParameterDto) {
    return this.createParameter.execute({ tenantId, name: dto.name, datatype: dto.datatype, values: dto.values, securedKeys: dto.secured_keys });
  }

  @Get()
  @ApiQuery({ name: 'datatype', required: false, description: 'only those of this datatype', example: 'bastionhost' })
  @ApiOk({ type: 'array', items: SHARED_PARAMETER_SCHEMA }, [SHARED_PARAMETER_EXAMPLE])
  @ApiErrors(400)
  @ApiOperation({ summary: "List the tenant's shared parameters by name (?datatype= to filter)" })
  list(@TenantId() tenantId: string, @Query('datatype') datatype?: unknown) {
    if (datatype !== undefined && (typeof datatype !== 'string' || !DATATYPE.test(datatype))) {
      throw DomainException.invalid('datatype: must be given once, 1..64 characters of A-Z a-z 0-9 . _ -', { field: 'datatype' });
    }
    return this.listParameters.execute(tenantId, { datatype });
  }

  @Get(':id')
  @ApiOk(SHARED_PARAMETER_SCHEMA, SHARED_PARAMETER_EXAMPLE)
  @ApiErrors(404)
  @ApiOperation({ summary: 'Read a shared parameter (secured values masked)' })
  get(@TenantId() tenantId: string, @Param('id', sharedParameterId) id: string) {
    return this.getParameter.execute(tenantId, id);
  }

  @Put(':id')
  @ApiBody({ type: UpdateSharedParameterDto, examples: { 'new port, password kept': { value: { values: { ...CREATE_SHARED_PARAMETER_EXAMPLE.values, bastion_port: 2222, bastion_password: SECURED_MASK } } } } })
  @ApiOk(SHARED_PARAMETER_SCHEMA, SHARED_PARAMETER_EXAMPLE)
  @ApiErrors(400, 404, 409, 415)
  @ApiOperation({ summary: `Change some fields; values, when given, replace them all (a secured value sent as "${SECURED_MASK}" keeps the stored one)` })
  update(@TenantId() tenantId: string, @Param('id', sharedParameterId) id: string, @Body(knownFields) dto: UpdateSharedParameterDto) {
    return this.updateParameter.execute({ tenantId, id, name: dto.name, datatype: dto.datatype, values: dto.values, securedKeys: dto.secured_keys });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiErrors(404)
  @ApiOperation({ summary: 'Delete a shared parameter' })
  async remove(@TenantId() tenantId: string, @Param('id', sharedParameterId) id: string): Promise<void> {
    await this.deleteParameter.execute(tenantId, id);
  }
}
