import { IncomingMessage } from 'node:http';

/** Everything ESC serves lives under this prefix (ESC's own base path, case-sensitive). */
export const ESC_BASE_PATH = '/ESCManager';
/** Simulator-only endpoints (faults, request log, reset), outside the ESC namespace. */
export const SIM_ADMIN_PATH = '/_sim';

/** Express keeps the full path in originalUrl; plain Node requests only have url. */
export function requestPath(req: IncomingMessage & { originalUrl?: string }): string {
  return req.originalUrl ?? req.url ?? '/';
}

export function isSimAdminPath(path: string): boolean {
  return path === SIM_ADMIN_PATH || path.startsWith(`${SIM_ADMIN_PATH}/`) || path.startsWith(`${SIM_ADMIN_PATH}?`);
}

export function isEscPath(path: string): boolean {
  return path === ESC_BASE_PATH || path.startsWith(`${ESC_BASE_PATH}/`) || path.startsWith(`${ESC_BASE_PATH}?`);
}
