import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { InstanceDetails, InstanceRepository, ServiceVersionRepository } from '@cam-esc/persistence';
import { toInstanceView } from '../instance.view';
import { SecuredValues } from '../secured-values';
import { versionChangePaths } from '../lifecycle/version-change-paths';

export interface GetInstanceQuery {
  /** filter[include]: UpgradePaths and/or DowngradePaths. */
  include: string[];
}

/** GET ServiceInstances/{id}: the whole record, its action history and, when asked, its version change paths. */
@Injectable()
export class GetInstanceUseCase {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly versions: ServiceVersionRepository,
    private readonly secured: SecuredValues,
  ) {}

  async execute(tenantId: string, id: string, query: GetInstanceQuery) {
    const instance = await this.instances.findDetails(tenantId, id);
    if (!instance) throw DomainException.notFound('service instance', id);
    const view = toInstanceView(instance, this.secured.of(instance.actions));
    const wantsUp = query.include.includes('UpgradePaths');
    const wantsDown = query.include.includes('DowngradePaths');
    if (!wantsUp && !wantsDown) return view;
    const { upgrades, downgrades } = await this.paths(instance);
    return { ...view, ...(wantsUp ? { UpgradePaths: upgrades } : {}), ...(wantsDown ? { DowngradePaths: downgrades } : {}) };
  }

  async paths(instance: InstanceDetails) {
    return versionChangePaths(instance.serviceVersion, await this.versions.allOfService(instance.serviceId));
  }
}

/**
 * filter[include] as the query parser hands it: Express 5 keeps the key flat (`filter[include]`,
 * an array when repeated); a nested `filter.include` is read too. Anything but the two path lists
 * is a 400 naming it.
 */
export function includeFilter(query: Record<string, unknown>): string[] {
  const raw = query['filter[include]'] ?? includeOf(query.filter);
  if (raw === undefined) {
    // filter[include][x]=... names no relation
    const odd = Object.keys(query).find((k) => k.startsWith('filter[include]['));
    if (odd) throw DomainException.invalid(`${odd.slice(0, 60)}: filter[include] takes UpgradePaths and/or DowngradePaths, as filter[include]=UpgradePaths&filter[include]=DowngradePaths`, { field: 'filter[include]' });
    return [];
  }
  const values = Array.isArray(raw) ? raw : [raw];
  for (const v of values) {
    if (v !== 'UpgradePaths' && v !== 'DowngradePaths') {
      throw DomainException.invalid(`filter[include]: '${String(typeof v === 'object' ? JSON.stringify(v) : v).slice(0, 100)}' is not one of UpgradePaths, DowngradePaths`, { field: 'filter[include]' });
    }
  }
  return values as string[];
}

/** filter[include] of a nested or LoopBack JSON filter (filter={"include":["UpgradePaths"]}). */
function includeOf(filter: unknown): unknown {
  if (typeof filter === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(filter);
    } catch {
      throw DomainException.invalid('filter: must be JSON (e.g. {"include":["UpgradePaths"]}) or given as filter[include]=...', { field: 'filter' });
    }
    return (parsed as { include?: unknown } | null)?.include;
  }
  return (filter as Record<string, unknown> | undefined)?.include;
}
