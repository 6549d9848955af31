import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TenantId } from '../auth/tenant.decorator';
import { ApiCamQuery, ApiErrors, ApiOk } from '../openapi/api-responses';
import { BUILTIN_CONNECTION_EXAMPLE, CONNECTION_EXAMPLE, CONNECTION_SCHEMA, CONNECTION_TEST_SCHEMA, CREATE_CONNECTION_EXAMPLE } from './connection.openapi';
import { ConnectionIdPipe } from './connection-id.pipe';
import { CONNECTION_FIELDS, CONNECTION_READ_ONLY_FIELDS, CreateConnectionDto, UpdateConnectionDto } from './dto/connection.dto';
import { KnownFieldsPipe } from './known-fields.pipe';
import { CreateConnectionUseCase } from './usecases/create-connection.usecase';
import { DeleteConnectionUseCase } from './usecases/delete-connection.usecase';
import { GetConnectionUseCase } from './usecases/get-connection.usecase';
import { ListConnectionsUseCase } from './usecases/list-connections.usecase';
import { TestConnectionUseCase } from './usecases/test-connection.usecase';
import { UpdateConnectionUseCase } from './usecases/update-connection.usecase';
import { RequiresRole, Role } from '../auth/roles';

const knownFields = new KnownFieldsPipe('an ESC connection', CONNECTION_FIELDS, CONNECTION_READ_ONLY_FIELDS);
const ID = ApiParam({ name: 'id', description: "the connection's id or its name ('default' for the built-in one)" });

/** The ESC controllers a tenant's flows can run on: `default` (ESC_URL) and the tenant's own. */
@ApiTags('connections')
@ApiBearerAuth()
@ApiCamQuery({ namespace: false })
@RequiresRole(Role.Admin)
@Controller('cam/api/v1/connections')
export class ConnectionsController {
  constructor(
    private readonly createConnection: CreateConnectionUseCase,
    private readonly listConnections: ListConnectionsUseCase,
    private readonly getConnection: GetConnectionUseCase,
    private readonly updateConnection: UpdateConnectionUseCase,
    private readonly deleteConnection: DeleteConnectionUseCase,
    private readonly testConnection: TestConnectionUseCase,
  ) {}

  @Post()
  @ApiBody({ type: CreateConnectionDto, examples: { connection: { value: CREATE_CONNECTION_EXAMPLE } } })
  @ApiOk(CONNECTION_SCHEMA, CONNECTION_EXAMPLE, 201, 'Created')
  @ApiErrors(400, 409, 415)
  @ApiOperation({ summary: 'Store an ESC connection; its password is kept encrypted and never returned (409 when the name is taken)' })
  create(@TenantId() tenantId: string, @Body(knownFields) dto: CreateConnectionDto) {
    return this.createConnection.execute({ tenantId, ...dto });
  }

  @Get()
  @ApiOk({ type: 'array', items: CONNECTION_SCHEMA }, [BUILTIN_CONNECTION_EXAMPLE, CONNECTION_EXAMPLE])
  @ApiErrors()
  @ApiOperation({ summary: "List the connections: the built-in 'default' (ESC_URL) first, then the tenant's by name" })
  list(@TenantId() tenantId: string) {
    return this.listConnections.execute(tenantId);
  }

  @Get(':id')
  @ID
  @ApiOk(CONNECTION_SCHEMA, CONNECTION_EXAMPLE)
  @ApiErrors(404)
  @ApiOperation({ summary: 'Read a connection (without its password)' })
  get(@TenantId() tenantId: string, @Param('id', ConnectionIdPipe) id: string) {
    return this.getConnection.execute(tenantId, id);
  }

  @Put(':id')
  @ID
  @ApiBody({ type: UpdateConnectionDto, examples: { 'new password': { value: { password: 'rotated' } }, 'remove password': { value: { password: null } } } })
  @ApiOk(CONNECTION_SCHEMA, CONNECTION_EXAMPLE)
  @ApiErrors(400, 404, 409, 415)
  @ApiOperation({ summary: "Change some fields (omitted ones stay; password null or \"\" removes it). 409 for 'default', a taken name, or renaming a connection live instances use" })
  update(@TenantId() tenantId: string, @Param('id', ConnectionIdPipe) id: string, @Body(knownFields) dto: UpdateConnectionDto) {
    return this.updateConnection.execute({ tenantId, id, ...dto });
  }

  @Delete(':id')
  @ID
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiErrors(404, 409)
  @ApiOperation({ summary: "Delete a connection no live instance uses (409 naming them otherwise, and for 'default')" })
  async remove(@TenantId() tenantId: string, @Param('id', ConnectionIdPipe) id: string): Promise<void> {
    await this.deleteConnection.execute(tenantId, id);
  }

  @Post(':id/test')
  @ID
  @HttpCode(200)
  @ApiOk(CONNECTION_TEST_SCHEMA)
  @ApiErrors(404)
  @ApiOperation({ summary: "Reach the connection's ESC with its credentials (GET {url}/v0/tenants): an ESC that is down or refuses them is a 200 report, not an error" })
  test(@TenantId() tenantId: string, @Param('id', ConnectionIdPipe) id: string) {
    return this.testConnection.execute(tenantId, id);
  }
}
