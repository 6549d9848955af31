import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import type { TextPattern } from '@cam-esc/persistence';
import { Request, Response } from 'express';

/** Lists answer at most this many entries; a larger filter[limit] is capped, and the answer says so in a header. */
export const MAX_LIST_LIMIT = 500;
export const DEFAULT_LIST_LIMIT = 100;
export const LIMIT_CAPPED_HEADER = 'X-Filter-Limit-Capped';

export type Direction = 'asc' | 'desc';

/** What a list takes: the names a client orders and filters by (CAM's spelling) and the field each maps to. */
export interface ListSpec<O extends string, W extends string> {
  order: Record<string, O>;
  defaultOrder: { field: O; direction: Direction };
  where: Record<string, W>;
  /** The values a where field takes, when it takes only some (a status). */
  whereValues?: Partial<Record<W, readonly string[]>>;
  /** The where fields that also take part of a value: filter[where][<field>][like|ilike]. */
  patterns?: readonly W[];
}

export interface ListFilter<O extends string, W extends string> {
  limit: number;
  skip: number;
  order: { field: O; direction: Direction };
  where: Partial<Record<W, string>>;
  /** filter[where][<field>][like|ilike] */
  patterns: Partial<Record<W, TextPattern>>;
  /** The limit asked for, when it was above MAX_LIST_LIMIT. */
  cappedFrom?: number;
  include: string[];
  /** filter[cursor]: where the previous page ended (keyset pagination; lists that take it answer X-Next-Cursor). */
  after?: { value: string; id: string };
}

interface CursorContent {
  order: string;
  value: string;
  id: string;
}

export const NEXT_CURSOR_HEADER = 'X-Next-Cursor';

/** The cursor of the page after this one: the order it was made in, and its last entry's sort value and id. */
export function encodeCursor(order: { field: string; direction: Direction }, value: Date | string, id: string): string {
  const content: CursorContent = { order: `${order.field} ${order.direction}`, value: value instanceof Date ? value.toISOString() : value, id };
  return Buffer.from(JSON.stringify(content)).toString('base64url');
}

const invalid = (field: string, rule: string) => DomainException.invalid(`${field}: ${rule}`, { field });

/**
 * The CAM/LoopBack list filter as a query string: filter[limit], filter[skip], filter[order]=
 * "<field> ASC|DESC", filter[where][<field>]=<value>, filter[include]=<relation> (repeatable).
 * Express 5 keeps such keys flat ("filter[limit]"); a JSON `filter={...}` is read too. Every
 * value that is not what the filter takes is a 400 naming the filter and the rule.
 */
export function parseListFilter<O extends string, W extends string>(query: Record<string, unknown>, spec: ListSpec<O, W>, includes: string[] = []): ListFilter<O, W> {
  const entries = filterEntries(query);
  const result: ListFilter<O, W> = { limit: DEFAULT_LIST_LIMIT, skip: 0, order: spec.defaultOrder, where: {}, patterns: {}, include: [] };
  let cursorOrder: string | undefined;
  for (const [key, sub, op, raw] of entries) {
    const name = `filter[${key}]${sub === undefined ? '' : `[${sub}]`}${op === undefined ? '' : `[${op}]`}`;
    if (key === 'where') {
      if (sub === undefined) throw invalid(name, `name the field, e.g. filter[where][${Object.keys(spec.where)[0] ?? 'name'}]=...`);
      const field = Object.hasOwn(spec.where, sub) ? spec.where[sub] : undefined;
      if (!field) throw invalid(name, `this list cannot be filtered by '${sub}' (it can by: ${Object.keys(spec.where).join(', ') || 'nothing'})`);
      const value = single(name, raw);
      if (op !== undefined) {
        if (!spec.patterns?.includes(field)) throw invalid(name, `'${sub}' is matched whole here: write filter[where][${sub}]=<value>`);
        if (op !== 'like' && op !== 'ilike') throw invalid(name, `the operator must be like or ilike (case-insensitive), got '${op.slice(0, 40)}'`);
        result.patterns[field] = parseLikePattern(name, value, op === 'ilike');
        continue;
      }
      const allowed = spec.whereValues?.[field];
      if (allowed && !allowed.includes(value)) throw invalid(name, `must be one of ${allowed.join(', ')}`);
      result.where[field] = value;
      continue;
    }
    if (sub !== undefined || op !== undefined) throw invalid(name, `filter[${key}] takes no sub-field`);
    switch (key) {
      case 'limit': {
        const n = wholeNumber(name, single(name, raw), 1);
        if (n > MAX_LIST_LIMIT) result.cappedFrom = n;
        result.limit = Math.min(n, MAX_LIST_LIMIT);
        break;
      }
      case 'cursor': {
        let decoded: Partial<CursorContent> | undefined;
        try {
          decoded = JSON.parse(Buffer.from(single(name, raw), 'base64url').toString('utf8'));
        } catch {
          decoded = undefined;
        }
        const ok = decoded && typeof decoded === 'object' && [decoded.order, decoded.value, decoded.id].every((x) => typeof x === 'string' && !x.includes('\u0000'));
        if (!ok) throw invalid(name, 'must be the X-Next-Cursor of the previous page, unchanged');
        cursorOrder = decoded!.order;
        result.after = { value: decoded!.value!, id: decoded!.id! };
        break;
      }
      case 'skip':
      case 'offset':
        result.skip = wholeNumber(name, single(name, raw), 0);
        break;
      case 'order':
        result.order = parseOrder(name, single(name, raw), spec);
        break;
      case 'include':
        for (const value of Array.isArray(raw) ? raw : [raw]) {
          if (!includes.includes(String(value))) throw invalid(name, `'${String(value)}' cannot be included here${includes.length ? ` (only ${includes.join(', ')})` : ''}`);
          result.include.push(String(value));
        }
        break;
      default:
        throw invalid(name, 'is not a filter this list takes (limit, skip, order, where, cursor)');
    }
  }
  if (cursorOrder !== undefined && cursorOrder !== `${result.order.field} ${result.order.direction}`) {
    throw invalid('filter[cursor]', 'was made for another filter[order]: page on with the order the cursor came with');
  }
  return result;
}

/** Sets the header that says a limit was capped. */
export function reportCappedLimit(res: Response, filter: { cappedFrom?: number }): void {
  if (filter.cappedFrom !== undefined) res.setHeader(LIMIT_CAPPED_HEADER, `filter[limit]=${filter.cappedFrom} was capped to ${MAX_LIST_LIMIT}`);
}

/** The raw query of the request, for parseListFilter. */
export const RawQuery = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<Request>().query as Record<string, unknown>);

/** [key, where field, where operator, value] */
type FilterEntry = [string, string | undefined, string | undefined, unknown];

function filterEntries(query: Record<string, unknown>): FilterEntry[] {
  const entries: FilterEntry[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key === 'filter') {
      entries.push(...jsonFilterEntries(value));
      continue;
    }
    const m = /^filter\[([^\]]*)\](?:\[([^\]]*)\](?:\[([^\]]*)\])?)?$/.exec(key);
    if (m) entries.push([m[1], m[2], m[3], value]);
    else if (key.startsWith('filter')) throw invalid(key, 'is not a filter: write filter[limit], filter[skip], filter[order] or filter[where][<field>]');
  }
  return entries;
}

function jsonFilterEntries(value: unknown): FilterEntry[] {
  let parsed: unknown;
  try {
    parsed = typeof value === 'string' ? JSON.parse(value) : undefined;
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('filter', 'must be a JSON object such as {"limit":10,"where":{"name":"x"}}');
  const entries: FilterEntry[] = [];
  const plain = (x: unknown) => (typeof x === 'string' || typeof x === 'number' ? String(x) : x);
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  for (const [key, v] of Object.entries(parsed)) {
    if (key === 'where' && isObject(v)) {
      for (const [sub, w] of Object.entries(v)) {
        if (isObject(w)) for (const [op, x] of Object.entries(w)) entries.push(['where', sub, op, plain(x)]);
        else entries.push(['where', sub, undefined, plain(w)]);
      }
    } else {
      entries.push([key, undefined, undefined, typeof v === 'number' ? String(v) : v]);
    }
  }
  return entries;
}

function single(name: string, raw: unknown): string {
  if (typeof raw !== 'string') throw invalid(name, 'must be given once, as a plain value');
  if (/[\u0000]/.test(raw)) throw invalid(name, 'must not contain NUL characters');
  return raw;
}

/**
 * A LoopBack like/ilike pattern: % stands for any text at its start or its end; \% and \_ are a
 * literal % and _. A % inside the text and the one-character wildcard _ are refused rather than
 * matched loosely.
 */
function parseLikePattern(name: string, raw: string, caseInsensitive: boolean): TextPattern {
  let text = '';
  let leading = false;
  let trailing = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      text += raw[++i];
    } else if (c === '%' && i === 0) {
      leading = true;
    } else if (c === '%' && i === raw.length - 1) {
      trailing = true;
    } else if (c === '%') {
      throw invalid(name, 'takes % only at the start and the end of the pattern (\\% is a literal %)');
    } else if (c === '_') {
      throw invalid(name, 'takes no _ wildcard (\\_ is a literal _)');
    } else {
      text += c;
    }
  }
  const match = leading && trailing ? 'contains' : leading ? 'endsWith' : trailing ? 'startsWith' : 'equals';
  return { match, text, caseInsensitive };
}

function wholeNumber(name: string, raw: string, min: number): number {
  if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) < min) throw invalid(name, `must be a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'}, got '${raw.slice(0, 40)}'`);
  return Number(raw);
}

function parseOrder<O extends string, W extends string>(name: string, raw: string, spec: ListSpec<O, W>): { field: O; direction: Direction } {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(ASC|DESC))?\s*$/i.exec(raw);
  if (!m) throw invalid(name, `must be '<field> ASC' or '<field> DESC', got '${raw.slice(0, 40)}'`);
  const field = Object.hasOwn(spec.order, m[1]) ? spec.order[m[1]] : undefined;
  if (!field) throw invalid(name, `this list cannot be ordered by '${m[1]}' (it can by: ${Object.keys(spec.order).join(', ')})`);
  return { field, direction: (m[2] ?? 'ASC').toLowerCase() as Direction };
}
