import { Controller, Get, Req } from '@nestjs/common';
import { ApiExtension, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/bearer-auth.guard';
import { AuthenticatedRequest } from '../auth/principal';
import { grants, Role, ROLES } from '../auth/roles';
import { ApiErrors, ApiOk } from '../openapi/api-responses';
import { GetLoginOptionsUseCase } from './usecases/get-login-options.usecase';

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

const LOGIN_OPTIONS_SCHEMA = {
  type: 'object',
  required: ['token', 'oidc'],
  properties: {
    token: { type: 'boolean', description: 'a bearer token (API_TOKENS, or a JWT of the provider) may be given' },
    oidc: {
      type: 'object',
      nullable: true,
      description: "the console's login at the identity provider (authorization code with PKCE); null when CONSOLE_OIDC_CLIENT_ID is not set",
      required: ['issuer', 'client_id', 'scope', 'token'],
      properties: {
        issuer: { type: 'string' },
        client_id: { type: 'string' },
        scope: { type: 'string' },
        token: { type: 'string', enum: ['access_token', 'id_token'], description: "the token of the provider's answer to send as the bearer" },
        authorization_endpoint: { type: 'string' },
        token_endpoint: { type: 'string' },
        end_session_endpoint: { type: 'string' },
        error: { type: 'string', description: 'why the provider cannot be used now (its discovery document could not be read)' },
      },
    },
  },
};

/** Who the bearer token is: what a client (the console) shows, and which of its buttons it offers. */
@ApiTags('session')
@Controller('cam/api/v1/session')
export class SessionController {
  constructor(private readonly loginOptions: GetLoginOptionsUseCase) {}

  @Get('login')
  @Public()
  @ApiExtension('x-public', true)
  @ApiOperation({ summary: "How the console may log in (no token needed): with a token, and at the identity provider's page when the console's client is configured (its endpoints, from the discovery document)" })
  @ApiOk(LOGIN_OPTIONS_SCHEMA)
  @ApiErrors()
  login() {
    return this.loginOptions.execute();
  }

  @Get()
  @ApiOperation({ summary: "The caller: tenant, subject, roles, and which roles' calls it may make (the console offers only those)" })
  @ApiOk(SESSION_SCHEMA)
  @ApiErrors()
  session(@Req() req: AuthenticatedRequest) {
    const { tenantId, subject, via, roles } = req.principal;
    return { tenantId, subject, via, roles, may: Object.fromEntries(Object.values(Role).map((role) => [role, grants(roles, role)])) };
  }
}
