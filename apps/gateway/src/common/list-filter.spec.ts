import { DomainException } from '@cam-esc/errors';
import { ListSpec, parseListFilter } from './list-filter';

const SPEC: ListSpec<'createdAt' | 'name', 'name' | 'status'> = {
  order: { creationTime: 'createdAt', name: 'name' },
  defaultOrder: { field: 'createdAt', direction: 'desc' },
  where: { name: 'name', Status: 'status' },
  whereValues: { status: ['Active', 'Error'] },
  patterns: ['name'],
};

const message = (query: Record<string, unknown>) => {
  try {
    parseListFilter(query, SPEC);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainException);
    return (e as Error).message;
  }
  throw new Error('parsed');
};

describe('parseListFilter: part of a name', () => {
  it.each([
    ['%edge%', { match: 'contains', text: 'edge' }],
    ['edge%', { match: 'startsWith', text: 'edge' }],
    ['%edge', { match: 'endsWith', text: 'edge' }],
    ['edge', { match: 'equals', text: 'edge' }],
    ['%100\\%\\_a\\\\%', { match: 'contains', text: '100%_a\\' }],
    ['%', { match: 'endsWith', text: '' }],
  ])('reads the like pattern %s', (pattern, expected) => {
    expect(parseListFilter({ 'filter[where][name][like]': pattern }, SPEC).patterns.name).toEqual({ ...expected, caseInsensitive: false });
  });

  it('reads ilike as case-insensitive, next to an exact filter', () => {
    const filter = parseListFilter({ 'filter[where][name][ilike]': '%EDGE%', 'filter[where][Status]': 'Active' }, SPEC);
    expect(filter.patterns.name).toEqual({ match: 'contains', text: 'EDGE', caseInsensitive: true });
    expect(filter.where).toEqual({ status: 'Active' });
  });

  it('reads the JSON filter form', () => {
    expect(parseListFilter({ filter: JSON.stringify({ where: { name: { like: 'br%' } } }) }, SPEC).patterns.name).toEqual({ match: 'startsWith', text: 'br', caseInsensitive: false });
  });

  it.each([
    [{ 'filter[where][name][like]': 'a%b' }, "filter[where][name][like]: takes % only at the start and the end of the pattern (\\% is a literal %)"],
    [{ 'filter[where][name][like]': '%site_1%' }, 'filter[where][name][like]: takes no _ wildcard (\\_ is a literal _)'],
    [{ 'filter[where][name][regexp]': 'x' }, "filter[where][name][regexp]: the operator must be like or ilike (case-insensitive), got 'regexp'"],
    [{ 'filter[where][Status][like]': 'Act%' }, "filter[where][Status][like]: 'Status' is matched whole here: write filter[where][Status]=<value>"],
    [{ 'filter[limit][x]': '1' }, 'filter[limit][x]: filter[limit] takes no sub-field'],
    [{ 'filter[where][name][like]': ['%a%', '%b%'] }, 'filter[where][name][like]: must be given once, as a plain value'],
  ])('refuses %j', (query, expected) => {
    expect(message(query)).toBe(expected);
  });
});
