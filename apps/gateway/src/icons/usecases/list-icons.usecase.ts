import { Injectable } from '@nestjs/common';
import { IconMeta, IconRepository, isUuid } from '@cam-esc/persistence';
import { ListFilter } from '../../common/list-filter';
import { BUILTIN_ICONS } from '../builtin/builtin-icons';

export type IconListFilter = ListFilter<'createdAt', 'id' | 'name' | 'contentType'>;

/**
 * GET icons: the built-in icons (those the tenant has not replaced by its own of the same name)
 * and the tenant's, in the order of their creation (the built-ins are the oldest), a page of them.
 */
@Injectable()
export class ListIconsUseCase {
  constructor(private readonly icons: IconRepository) {}

  async execute(tenantId: string, filter: IconListFilter): Promise<IconMeta[]> {
    const where = filter.where;
    if (where.id !== undefined && !isUuid(where.id)) return []; // not an id: it names no icon
    const replaced = await this.icons.namesTaken(tenantId, BUILTIN_ICONS.map((i) => i.name));
    const builtins: IconMeta[] = BUILTIN_ICONS.filter((i) => !replaced.has(i.name) && (where.id ?? i.id) === i.id && (where.name ?? i.name) === i.name && (where.contentType ?? i.contentType) === i.contentType).map(
      ({ id, tenantId: t, name, contentType, size, createdAt }) => ({ id, tenantId: t, name, contentType, size, createdAt }),
    );
    const { limit, skip } = filter;
    const direction = filter.order.direction;
    const page = (dbSkip: number, dbLimit: number) => (dbLimit > 0 ? this.icons.list(tenantId, where, { limit: dbLimit, skip: dbSkip, direction }) : Promise.resolve([]));
    if (direction === 'asc') {
      const first = builtins.slice(skip, skip + limit);
      return [...first, ...(await page(Math.max(0, skip - builtins.length), limit - first.length))];
    }
    // newest first: the tenant's, then the built-ins
    const own = await page(skip, limit);
    if (own.length === limit) return own;
    // the tenant's icons before the built-ins: known without counting when this page holds some of them
    const before = own.length > 0 ? skip + own.length : await this.icons.count(tenantId, where);
    const from = Math.max(0, skip - before);
    return [...own, ...[...builtins].reverse().slice(from, from + limit - own.length)];
  }
}
