import { Injectable } from '@nestjs/common';
import { ServiceRepository, ServiceVersionRepository } from '@cam-esc/persistence';
import { encodeCursor, ListFilter, ListSpec } from '../../common/list-filter';
import { toServiceListEntry } from '../service.view';

export const SERVICE_LIST: ListSpec<'createdAt' | 'updatedAt' | 'name', 'name' | 'category' | 'author'> = {
  order: { creationTime: 'createdAt', created_time: 'createdAt', lastUpdated: 'updatedAt', updated_time: 'updatedAt', name: 'name' },
  defaultOrder: { field: 'createdAt', direction: 'asc' },
  where: { name: 'name', category: 'category', author: 'author' },
};

/** GET /service: a page of the tenant's services, each with its versions and its default version's plans and tags. */
@Injectable()
export class ListServicesUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
  ) {}

  async execute(tenantId: string, scope: { namespace?: string; orgGuid?: string }, filter: ListFilter<'createdAt' | 'updatedAt' | 'name', 'name' | 'category' | 'author'>) {
    const page = await this.services.list({ tenantId, namespace: scope.namespace, orgGuid: scope.orgGuid, where: filter.where, order: filter.order, limit: filter.limit, skip: filter.skip, after: filter.after });
    const documents = new Map((await this.versions.documents(page.map((s) => s.defaultVersionId).filter((id): id is string => Boolean(id)))).map((d) => [d.id, d]));
    const last = page[page.length - 1];
    return {
      entries: page.map((s) => toServiceListEntry(s, s.versions, s.defaultVersionId ? documents.get(s.defaultVersionId) : undefined)),
      /** Set when the page is full: the cursor of the next one. */
      nextCursor: page.length === filter.limit && last ? encodeCursor(filter.order, last[filter.order.field], last.id) : undefined,
    };
  }
}
