import { Controller, Get, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest } from '../auth/principal';
import { grants, Role, ROLES } from '../auth/roles';
import { ApiErrors, ApiOk } from '../openapi/api-responses';

const SESSION_SCHEMA = {
  type: 'object',
  required: ['tenantId', 'subject', 'via', 'roles', 'may'],
  properties: {
    tenantId: { type: 'string' },
    subject: { type: 'string', description: 'token:<tenant>:<8 hex> for an API token, the JWT sub' },
    via: { type: 'string', enum: ['api-token', 'jwt'] },
    roles: { type: 'array', items: { type: 'string', enum: [...ROLES] } },
    may: { type: 'object', description: 'each role, and whether the caller may act with it', additionalProperties: { type: 'boolean' }, example: { viewer: true, operator: true, 'catalog-admin': false, admin: false } },
  },
};

/** Who the bearer token is: what a client (the console) shows, and which of its buttons it offers. */
@ApiTags('session')
@Controller('cam/api/v1/session')
export class SessionController {
  @Get()
  @ApiOperation({ summary: "The caller: tenant, subject, roles, and which roles' calls it may make (the console offers only those)" })
  @ApiOk(SESSION_SCHEMA)
  @ApiErrors()
  session(@Req() req: AuthenticatedRequest) {
    const { tenantId, subject, via, roles } = req.principal;
    return { tenantId, subject, via, roles, may: Object.fromEntries(Object.values(Role).map((role) => [role, grants(roles, role)])) };
  }
}
