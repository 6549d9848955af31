import { createHash } from 'node:crypto';
import { ServiceVersion } from '@cam-esc/persistence';

export type VersionChangeType = 'UPGRADE' | 'DOWNGRADE';

/** A way an instance can change version, as GET ServiceInstances/{id}?filter[include]=UpgradePaths answers it. */
export interface VersionChangePath {
  currentVersionId: string;
  fromVersionId: string;
  toVersionId: string;
  type: VersionChangeType;
  tenantId: string;
  /** The versionChangeId of versionChangeInputParameters and submitVersionChange. */
  id: string;
  toVersion: string;
  fromVersion: string;
}

/**
 * The version changes open to an instance at `current`, as the versions' documents declare them:
 * an upgrade to every other version whose `upgrade_from` lists the current one, a downgrade to
 * every version the current one's `downgrade_to` lists. Retired versions take no instances. A
 * path's id is derived from its ends, so it needs no table and stays the same across calls.
 */
export function versionChangePaths(current: ServiceVersion, versions: ServiceVersion[]): { upgrades: VersionChangePath[]; downgrades: VersionChangePath[] } {
  const open = versions.filter((v) => v.id !== current.id && v.status !== 'Retired');
  const path = (to: ServiceVersion, type: VersionChangeType): VersionChangePath => ({
    currentVersionId: type === 'UPGRADE' ? to.id : current.id,
    fromVersionId: current.id,
    toVersionId: to.id,
    type,
    tenantId: current.tenantId,
    id: pathId(current.id, to.id, type),
    fromVersion: current.version,
    toVersion: to.version,
  });
  const downgradeTo = declared(current.document, 'downgrade_to');
  return {
    upgrades: open.filter((v) => declared(v.document, 'upgrade_from').includes(current.version)).map((v) => path(v, 'UPGRADE')),
    downgrades: open.filter((v) => downgradeTo.includes(v.version)).map((v) => path(v, 'DOWNGRADE')),
  };
}

/** The versions a document lists under upgrade_from or downgrade_to ([{ version }] in the seed; plain strings taken too). */
function declared(document: unknown, key: 'upgrade_from' | 'downgrade_to'): string[] {
  const list = (document as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) return [];
  return list.map((e) => (typeof e === 'string' ? e : (e as { version?: unknown } | null)?.version)).filter((v): v is string => typeof v === 'string');
}

function pathId(from: string, to: string, type: VersionChangeType): string {
  const hex = createHash('sha256').update(`${type}:${from}:${to}`).digest('hex');
  // shaped as a UUID (version nibble 5, RFC 4122 variant), like every other id of the API
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
