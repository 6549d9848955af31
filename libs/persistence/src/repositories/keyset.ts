import { isUuid } from './uuid';

/**
 * The rows after a cursor in (order field, id) order: keyset pagination, as fast on the last page
 * as on the first. `textFields` are ordered as text; the others are timestamps. A cursor that
 * cannot be read selects nothing.
 */
export function keysetAfter(order: { field: string; direction: 'asc' | 'desc' }, after: { value: string; id: string }, textFields: readonly string[]): Record<string, unknown> {
  const value = textFields.includes(order.field) ? after.value : new Date(after.value);
  const beyond = order.direction === 'asc' ? 'gt' : 'lt';
  if (!isUuid(after.id) || (value instanceof Date && Number.isNaN(value.getTime()))) return { id: { in: [] } };
  return { OR: [{ [order.field]: { [beyond]: value } }, { [order.field]: value, id: { [beyond]: after.id } }] };
}
