import { DomainException } from '@cam-esc/errors';
import { parse } from 'csv-parse';
import { pipeline, Readable, Transform } from 'node:stream';
import split2 from 'split2';

/** One item of a batch as it came: its value, or why it could not be read. */
export interface RawItem {
  index: number;
  value?: unknown;
  error?: string;
}

/** Items in one batch at most. */
export const MAX_BATCH_ITEMS = 100_000;

/** A line of an NDJSON upload, or a CSV record, this long at most. */
const MAX_LINE = 64 * 1024;

/** The content types a batch may come in. */
export type BatchFormat = 'json' | 'ndjson' | 'csv';

export function batchFormatOf(contentType: string | undefined): BatchFormat | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/x-ndjson' || type === 'application/jsonl' || type === 'application/jsonlines') return 'ndjson';
  if (type === 'text/csv') return 'csv';
  return undefined;
}

/** `{"items": [...]}`: each item as deploy takes it. */
export async function* itemsOfJson(body: unknown): AsyncIterable<RawItem> {
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) throw DomainException.invalid('items: is required and must be an array of instance requests (each as deploy takes it)');
  for (const [index, value] of items.entries()) yield { index, value };
}

/** One instance request per line (blank lines skipped), read as the upload streams in. */
export async function* itemsOfNdjson(stream: Readable): AsyncIterable<RawItem> {
  let index = 0;
  let line = 0;
  // pipeline: an upload that breaks off (the client went, a timeout) ends the read with an error instead of leaving it waiting
  const lines = pipeline(stream, split2(/\r?\n/, { maxLength: MAX_LINE }), () => undefined) as Transform;
  const read = lines[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = await read.next();
    } catch (e) {
      if (lines.readableAborted || (e as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') throw DomainException.invalid(`body: the upload broke off after line ${line}`);
      throw DomainException.invalid(`body: line ${line + 1} is longer than ${MAX_LINE / 1024} KB`);
    }
    if (next.done) return;
    line += 1;
    if (!next.value.trim()) continue;
    try {
      yield { index, value: JSON.parse(next.value) };
    } catch (e) {
      // JSON.parse quotes the text it read, which may be a secret: only where it broke
      const at = /position (\d+)/.exec((e as Error).message)?.[1];
      yield { index, error: `line ${line}: is not JSON${at ? ` (at character ${at})` : ''}` };
    }
    index += 1;
  }
}

/**
 * A header line, then one instance per record: `name`, optionally `plan`, and every other column
 * an input parameter (an empty cell gives no value). Read as the upload streams in.
 */
export async function* itemsOfCsv(stream: Readable): AsyncIterable<RawItem> {
  const records = pipeline(stream, parse({ columns: (header: string[]) => header.map((h) => h.trim()), bom: true, skip_empty_lines: true, trim: true, max_record_size: MAX_LINE, relax_column_count: false }), () => undefined);
  let index = 0;
  try {
    for await (const record of records as AsyncIterable<Record<string, string>>) {
      const { name, plan, ...parameters } = record;
      const specifications = Object.entries(parameters).filter(([, v]) => v !== '').map(([n, value]) => ({ name: n, value }));
      yield { index, value: { name, ...(plan ? { instance_plan: plan } : {}), resourceProperties: { templateParameters: [], specifications } } };
      index += 1;
    }
  } catch (e) {
    // a record that breaks the format (a wrong number of columns, an open quote) stops the read: it names its line
    // csv-parse names the line and the rule; it quotes no cell
    throw DomainException.invalid(`body: is not the CSV a batch takes (a header line with name, and a column per input parameter): ${(e as Error).message.split('\n')[0].slice(0, 300)}`);
  }
}

/** An item's request as deploy takes it; `{name, parameters: {k: v}}` is a shorter way to write one. */
export function deployBodyOf(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const { plan, ...planless } = value as { plan?: unknown; instance_plan?: unknown };
  // `plan` for short, as the CSV column is named
  if (typeof plan === 'string' && planless.instance_plan === undefined) value = { ...planless, instance_plan: plan };
  const { parameters, ...rest } = value as { parameters?: unknown; resourceProperties?: unknown };
  if (parameters === undefined || rest.resourceProperties !== undefined) return value;
  if (!parameters || typeof parameters !== 'object' || Array.isArray(parameters)) return value;
  return { ...rest, resourceProperties: { templateParameters: [], specifications: Object.entries(parameters).map(([name, v]) => ({ name, value: v })) } };
}
