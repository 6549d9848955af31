import { Request } from 'express';
import { Role } from './roles';

/** Who is calling: from an API token (API_TOKENS) or a JWT of the operator's identity provider. */
export interface Principal {
  tenantId: string;
  /** Every role it holds (a JWT may map to several). */
  roles: Role[];
  /** The token's name for the caller: `token:<tenant>:<8 hex of its sha256>` for an API token, the JWT's `sub`. */
  subject: string;
  via: 'api-token' | 'jwt';
}

export interface AuthenticatedRequest extends Request {
  tenantId: string;
  principal: Principal;
}
