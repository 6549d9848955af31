import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ActionStatus } from '@cam-esc/instances';
import { advanceBatchJob, OutboxRelay } from '@cam-esc/jobs';
import { BatchItemState, BatchRepository } from '@cam-esc/persistence';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { findProblem } from '../../common/reject-unstorable-text.pipe';
import { flattenValidationErrors } from '../../common/validation-errors';
import { DeployInstanceDto } from '../../instances/dto/deploy-instance.dto';
import { LookupMemo } from '../../instances/usecases/deploy-preparation';
import { BuiltDeploy, DeploySubmission } from '../../instances/usecases/deploy-submission';
import { deployBodyOf, MAX_BATCH_ITEMS, RawItem } from '../batch-items';
import { BatchConnections, BatchConnectionView } from '../batch-connections';

export interface SubmitBatchCommand {
  tenantId: string;
  versionId: string;
  items: AsyncIterable<RawItem>;
  /** Go on with the valid items when some are not (else nothing starts). */
  continueOnInvalid: boolean;
  concurrency: number;
  aceOrgGuid?: string;
  namespace?: string;
}

export interface InvalidItem {
  index: number;
  name?: string;
  error: string;
}

export interface SubmittedBatch {
  batch_id: string;
  state: string;
  concurrency: number;
  total: number;
  valid: number;
  invalid_count: number;
  /** The first 100 invalid items. */
  invalid: InvalidItem[];
  /** The ESC connections its items run on, each bounding its requests in flight (max_in_flight). */
  esc_connections: BatchConnectionView[];
}

const PAGE = 200;
const LISTED_INVALID = 100;

/**
 * A batch deploy: every item is checked as a deploy checks it (and written, its Provision waiting:
 * Queued) as the items stream in, a page at a time; then either the batch runs, its worker
 * starting at most `concurrency` items at once, or (an invalid item, unless the request goes on
 * with the valid ones) everything it wrote is dropped and the invalid items are named together,
 * by index and field.
 */
@Injectable()
export class SubmitBatchUseCase {
  private readonly logger = new Logger(SubmitBatchUseCase.name);

  constructor(
    private readonly submission: DeploySubmission,
    private readonly batches: BatchRepository,
    private readonly outbox: OutboxRelay,
    private readonly connections: BatchConnections,
  ) {}

  async execute(cmd: SubmitBatchCommand): Promise<SubmittedBatch> {
    const batchId = randomUUID();
    await this.batches.createValidating(batchId, cmd.tenantId, cmd.versionId, cmd.concurrency);
    let total = 0;
    let invalidCount = 0;
    const invalid: InvalidItem[] = [];
    const unlisted: string[] = [];
    // where the first valid item's plan runs (a flow's steps name their connection, or a parameter does)
    let planned: string[] | undefined;
    // the version, its templates and connections, read once for every item
    const memo = new LookupMemo();
    try {
      let page: Parameters<BatchRepository['addItems']>[1] = [];
      for await (const item of cmd.items) {
        total += 1;
        if (total > MAX_BATCH_ITEMS) throw DomainException.invalid(`items: at most ${MAX_BATCH_ITEMS} in one batch`);
        const checked = await this.check(cmd, item, memo);
        if ('error' in checked) {
          invalidCount += 1;
          if (invalid.length < LISTED_INVALID) invalid.push({ index: item.index, ...(checked.name ? { name: checked.name } : {}), error: checked.error });
          page.push({ index: item.index, name: checked.name ?? '', state: BatchItemState.Invalid, error: checked.error });
        } else {
          // in memory until its item row is written: a refusal before that drops it too
          unlisted.push(checked.built.instanceId);
          planned ??= connectionsOf(checked.built);
          await this.submission.write(checked.built);
          page.push({ index: item.index, name: checked.built.instance.name, serviceInstanceId: checked.built.instanceId, state: BatchItemState.Pending });
        }
        if (page.length >= PAGE) {
          await this.batches.addItems(batchId, page);
          page = [];
          unlisted.length = 0;
        }
      }
      await this.batches.addItems(batchId, page);
      unlisted.length = 0;
      if (total === 0) throw DomainException.invalid('items: the batch has no item');
      if (invalidCount === total || (invalidCount > 0 && !cmd.continueOnInvalid)) {
        const named = invalid.slice(0, 20).map((i) => `items[${i.index}]: ${i.error}`).join('; ');
        const more = invalidCount > 20 ? `; and ${invalidCount - 20} more` : '';
        const advice = invalidCount === total ? 'every item is invalid' : 'nothing was started (continue_on_invalid=true runs the valid ones)';
        throw DomainException.invalid(`${invalidCount} of ${total} items are invalid, ${advice}: ${named}${more}`);
      }
      const job = advanceBatchJob(batchId);
      const outboxId = await this.batches.open(batchId, total, invalidCount, job.entry);
      this.outbox.relaySoon(outboxId, job.entry);
    } catch (e) {
      // refused or interrupted: what it wrote goes (no instance of it ever ran)
      await this.batches.drop(batchId, unlisted).catch((err) => this.logger.error({ batchId, err: (err as Error).message }, 'could not drop a refused batch; the sweep drops it within the hour'));
      throw e;
    }
    this.logger.log({ batchId, total, invalid: invalidCount, concurrency: cmd.concurrency }, 'batch submitted');
    // the batch runs already: a failing lookup of what is only shown must not turn its answer into an error (and its retry into a second batch)
    const escConnections = await this.connections.view(cmd.tenantId, planned ?? []).catch((err: Error) => (this.logger.warn({ batchId, err: err.message }, 'could not read the batch connections'), []));
    return { batch_id: batchId, state: 'Running', concurrency: cmd.concurrency, total, valid: total - invalidCount, invalid_count: invalidCount, invalid, esc_connections: escConnections };
  }

  /** One item checked as deploy checks it: its instance ready to write, or why not. */
  private async check(cmd: SubmitBatchCommand, item: RawItem, memo: LookupMemo): Promise<{ built: BuiltDeploy } | { name?: string; error: string }> {
    if (item.error) return { error: item.error };
    const value = deployBodyOf(item.value);
    const name = typeof (value as { name?: unknown })?.name === 'string' ? ((value as { name: string }).name) : undefined;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'must be an object: an instance request as deploy takes it' };
    // what the body pipes check for deploy, for an item read from a stream
    const unstorable = findProblem(value, 'item');
    if (unstorable) return { name: unstorable.startsWith('item.name') ? undefined : name, error: unstorable };
    const body = plainToInstance(DeployInstanceDto, value);
    const errors = await validate(body);
    if (errors.length) return { name, error: flattenValidationErrors(errors).join('; ') };
    try {
      return { built: await this.submission.build({ tenantId: cmd.tenantId, versionId: cmd.versionId, body, aceOrgGuid: cmd.aceOrgGuid, namespace: cmd.namespace, memo }, ActionStatus.Queued) };
    } catch (e) {
      if (e instanceof DomainException && e.code === 'INVALID_INPUT') return { name, error: e.message };
      // a missing version, a database away: the whole batch, not one item
      throw e;
    }
  }
}

function connectionsOf(built: BuiltDeploy): string[] {
  const plan = (built.action.parameters as { plan?: Array<{ connection?: string }> }).plan ?? [];
  return [...new Set(plan.map((s) => s.connection).filter((c): c is string => !!c))].sort();
}
