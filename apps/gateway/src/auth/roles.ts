import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

/**
 * What a caller may do. `viewer` reads; `operator` deploys and runs actions (terminate, retry,
 * custom actions, batches); `catalog-admin` changes the catalog (services, versions, templates,
 * icons, shared parameters); `admin` may do everything, ESC connections and drift repair included.
 */
export enum Role {
  Viewer = 'viewer',
  Operator = 'operator',
  CatalogAdmin = 'catalog-admin',
  Admin = 'admin',
}

export const ROLES: readonly string[] = Object.values(Role);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && ROLES.includes(value);
}

export const REQUIRED_ROLE = 'requiredRole';

/**
 * The role a call needs. Undeclared, a read (GET, HEAD) needs `viewer` and anything else `admin`:
 * a new endpoint is closed until it says who may call it.
 */
export const RequiresRole = (role: Role) => applyDecorators(SetMetadata(REQUIRED_ROLE, role), ApiExtension('x-required-role', role));

export const READ_ROLE = 'readRole';

/** A read (GET) that not every viewer may make: the audit log, say. */
export const RequiresRoleToRead = (role: Role) => applyDecorators(SetMetadata(READ_ROLE, role), ApiExtension('x-read-role', role));

/** Whether a caller holding `held` may make a call that needs `needed`. */
export function grants(held: readonly Role[], needed: Role): boolean {
  return held.length > 0 && (needed === Role.Viewer || held.includes(Role.Admin) || held.includes(needed));
}

/** Each authenticated operation of the served OpenAPI document says the role it needs (reads: viewer). */
export function documentRoles(doc: { paths: Record<string, Record<string, { description?: string; security?: unknown[]; responses?: Record<string, unknown>; 'x-required-role'?: string; 'x-read-role'?: string; 'x-public'?: boolean }>> }): void {
  for (const [path, operations] of Object.entries(doc.paths)) {
    if (!path.startsWith('/cam/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      // a call that takes no token (@Public, e.g. the console's login options)
      if (operation['x-public']) {
        delete operation['x-public'];
        operation.security = [];
        continue;
      }
      const role = method === 'get' || method === 'head' ? (operation['x-read-role'] ?? Role.Viewer) : (operation['x-required-role'] ?? Role.Admin);
      delete operation['x-read-role'];
      operation['x-required-role'] = role;
      // every CAM call takes a bearer token, whether or not its controller says so
      operation.security = [{ bearer: [] }];
      operation.description = `${operation.description ? `${operation.description}\n\n` : ''}Role: \`${role}\` (or \`admin\`)`;
    }
  }
}
