import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { Request, Response } from 'express';
import { sseSink } from '../instances/events/sse';
import { TenantId } from '../auth/tenant.decorator';
import { CamQuery, CamQueryParams } from '../common/cam-query';
import { EntityIdPipe } from '../common/entity-id.pipe';
import { streamedBody } from '../common/idempotency/streamed-body';
import { parseListFilter, RawQuery } from '../common/list-filter';
import { ApiErrors, ApiOk } from '../openapi/api-responses';
import { BATCH_CANCELLED_SCHEMA, BATCH_REQUEST_SCHEMA, BATCH_RERUN_SCHEMA, BATCH_SCHEMA, BATCH_SUBMITTED_SCHEMA, BATCH_SUMMARY_SCHEMA } from './batch.openapi';
import { batchFormatOf, itemsOfCsv, itemsOfJson, itemsOfNdjson } from './batch-items';
import { CancelBatchUseCase } from './usecases/cancel-batch.usecase';
import { GetBatchUseCase } from './usecases/get-batch.usecase';
import { ListBatchesUseCase } from './usecases/list-batches.usecase';
import { RetryBatchUseCase } from './usecases/retry-batch.usecase';
import { TerminateBatchUseCase } from './usecases/terminate-batch.usecase';
import { StreamBatchProgressUseCase } from './usecases/stream-batch-progress.usecase';
import { SubmitBatchUseCase } from './usecases/submit-batch.usecase';
import { RequiresRole, Role } from '../auth/roles';

const versionId = new EntityIdPipe('service version');
/** Items come in index order; they filter by what they show. */
const BATCH_ITEMS_LIST = { order: { index: 'index' as const }, defaultOrder: { field: 'index' as const, direction: 'asc' as const }, where: { status: 'status' as const } };
const batchId = new EntityIdPipe('batch');
const BATCH_LIST = { order: { created_at: 'createdAt' as const }, defaultOrder: { field: 'createdAt' as const, direction: 'desc' as const }, where: {} };
const MAX_BATCH_PAGE = 100;

/** Items running at once in a batch when the request does not say. */
export const DEFAULT_BATCH_CONCURRENCY = 20;
const MAX_BATCH_CONCURRENCY = 1000;

@ApiTags('batches')
@RequiresRole(Role.Operator)
@Controller('cam/composer/api/v1')
export class BatchesController {
  constructor(
    private readonly submit: SubmitBatchUseCase,
    private readonly get: GetBatchUseCase,
    private readonly cancelBatch: CancelBatchUseCase,
    private readonly retryBatch: RetryBatchUseCase,
    private readonly terminateBatch: TerminateBatchUseCase,
    private readonly progress: StreamBatchProgressUseCase,
    private readonly listBatches: ListBatchesUseCase,
  ) {}

  @Get('Batches')
  @ApiOperation({ summary: "The tenant's batches, newest first, each with its counts per status and the items running (filter[limit] 1..100, default 100; filter[skip])" })
  @ApiQuery({ name: 'filter[limit]', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_BATCH_PAGE } })
  @ApiQuery({ name: 'filter[skip]', required: false, schema: { type: 'integer', minimum: 0 } })
  @ApiOk({ type: 'array', items: BATCH_SUMMARY_SCHEMA })
  @ApiErrors(400)
  list(@TenantId() tenantId: string, @RawQuery() query: Record<string, unknown>) {
    const filter = parseListFilter(query, BATCH_LIST);
    if (filter.after) throw DomainException.invalid('filter[cursor]: batches page by filter[skip]');
    if (filter.limit > MAX_BATCH_PAGE || filter.cappedFrom !== undefined) throw DomainException.invalid(`filter[limit]: must be an integer from 1 to ${MAX_BATCH_PAGE}`);
    return this.listBatches.execute(tenantId, { limit: filter.limit, skip: filter.skip });
  }

  @Post('ServiceManifest/:id/deployBatch')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deploy many instances of a service version: every item is checked first; at most `concurrency` run at once' })
  @ApiParam({ name: 'id', description: 'the service version' })
  @ApiConsumes('application/json', 'application/x-ndjson', 'text/csv')
  @ApiBody({ schema: BATCH_REQUEST_SCHEMA })
  @ApiQuery({ name: 'continue_on_invalid', required: false, schema: { type: 'boolean' }, description: 'true: run the valid items when some are invalid (they are reported); else nothing starts' })
  @ApiQuery({ name: 'concurrency', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_BATCH_CONCURRENCY }, description: `items running at once (${DEFAULT_BATCH_CONCURRENCY})` })
  @ApiOk(BATCH_SUBMITTED_SCHEMA, undefined, 202, 'Accepted: the batch runs')
  @ApiErrors(400, 404, 415, 503)
  async deployBatch(@TenantId() tenantId: string, @CamQueryParams() q: CamQuery, @Param('id', versionId) id: string, @Req() req: Request, @Body() body: unknown, @Query() query: Record<string, unknown>) {
    const format = batchFormatOf(req.headers['content-type']);
    if (!format) throw new DomainException(DomainErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Content-Type: a batch is application/json ({"items": [...]}), application/x-ndjson (one instance request per line) or text/csv (a header line with name and the input parameters)');
    const fromBody = format === 'json' ? (body as { continue_on_invalid?: unknown; concurrency?: unknown } | null) : null;
    // the body's values are JSON's own types, and checked even where the query's win
    if (fromBody?.continue_on_invalid !== undefined && typeof fromBody.continue_on_invalid !== 'boolean') throw DomainException.invalid('continue_on_invalid: must be true or false');
    const bodyConcurrency = fromBody?.concurrency === undefined ? undefined : count('concurrency', typeof fromBody.concurrency === 'number' ? fromBody.concurrency : NaN);
    const continueOnInvalid = flag('continue_on_invalid', query.continue_on_invalid ?? fromBody?.continue_on_invalid);
    const concurrency = query.concurrency !== undefined ? count('concurrency', query.concurrency) : (bodyConcurrency ?? count('concurrency', undefined));
    const items = format === 'json' ? itemsOfJson(body) : format === 'ndjson' ? itemsOfNdjson(streamedBody(req)) : itemsOfCsv(streamedBody(req));
    return this.submit.execute({ tenantId, versionId: id, items, continueOnInvalid, concurrency, aceOrgGuid: q.aceOrgGuid, namespace: q.namespace });
  }

  @Get('Batches/:id')
  @ApiOperation({ summary: 'A batch: counts per status, and a page of its items (index, instance, status, error)' })
  @ApiQuery({ name: 'filter[limit]', required: false, schema: { type: 'integer', minimum: 1, maximum: 500 } })
  @ApiQuery({ name: 'filter[skip]', required: false, schema: { type: 'integer', minimum: 0 } })
  @ApiQuery({ name: 'filter[where][status]', required: false, schema: { type: 'string' } })
  @ApiOk(BATCH_SCHEMA)
  @ApiErrors(400, 404)
  async read(@TenantId() tenantId: string, @Param('id', batchId) id: string, @RawQuery() query: Record<string, unknown>) {
    const filter = parseListFilter(query, BATCH_ITEMS_LIST);
    if (filter.after) throw DomainException.invalid('filter[cursor]: batch items page by filter[skip]');
    const status = filter.where.status;
    if (status !== undefined && !/^[A-Za-z_]{1,32}$/.test(status)) throw DomainException.invalid('filter[where][status]: must be a status (Pending, Invalid, Cancelled, In_Progress, Active, Error, ...)');
    return this.get.execute(tenantId, id, { limit: filter.limit, skip: filter.skip, status });
  }

  @Get('Batches/:id/events')
  @ApiOperation({ summary: "A batch's progress as Server-Sent Events: `progress` (state, counts, running) now and at every change, `done` when it has run (the stream ends)" })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'text/event-stream of `progress` and `done` events, JSON data', content: { 'text/event-stream': { schema: { type: 'string', example: 'event: progress\ndata: {"id":"…","state":"Running","total":5000,"counts":{"Active":1200,"In_Progress":20,"Pending":3780},"running":20,"concurrency":20}\n\n' } } } })
  @ApiErrors(404)
  async events(@TenantId() tenantId: string, @Param('id', batchId) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    let stop: (() => void) | undefined;
    stop = await this.progress.execute(tenantId, id, () => sseSink(req, res, () => stop?.()));
    if (req.destroyed) stop();
  }

  @Post('Batches/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel the items not started yet (their instances, which never ran, are removed); started ones run on' })
  @ApiOk(BATCH_CANCELLED_SCHEMA)
  @ApiErrors(404)
  cancel(@TenantId() tenantId: string, @Param('id', batchId) id: string) {
    return this.cancelBatch.execute(tenantId, id);
  }

  @Post('Batches/:id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: "Run the failed action of every item whose instance is in Error again, at the batch's concurrency" })
  @ApiOk(BATCH_RERUN_SCHEMA)
  @ApiErrors(404)
  retry(@TenantId() tenantId: string, @Param('id', batchId) id: string) {
    return this.retryBatch.execute(tenantId, id);
  }

  @Post('Batches/:id/terminate')
  @HttpCode(200)
  @ApiOperation({ summary: "Cancel the items not started and terminate every instance the batch made, at the batch's concurrency" })
  @ApiOk(BATCH_RERUN_SCHEMA)
  @ApiErrors(404)
  terminate(@TenantId() tenantId: string, @Param('id', batchId) id: string) {
    return this.terminateBatch.execute(tenantId, id);
  }
}

function flag(name: string, value: unknown): boolean {
  if (value === undefined || value === false || value === 'false' || value === '') return false;
  if (value === true || value === 'true') return true;
  throw DomainException.invalid(`${name}: must be true or false`);
}

function count(name: string, value: unknown): number {
  return bounded(name, value, DEFAULT_BATCH_CONCURRENCY, 1, MAX_BATCH_CONCURRENCY);
}

function bounded(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw DomainException.invalid(`${name}: must be an integer from ${min} to ${max}`);
  return n;
}
