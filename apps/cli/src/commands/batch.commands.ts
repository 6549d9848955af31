import { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { CliContext, positiveInt } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { GatewayClient } from '../gateway-client';
import { colors, colourStatus, printJson, printTable } from '../output';

const API = '/cam/composer/api/v1';

interface Submitted { batch_id: string; total: number; valid: number; invalid_count: number; invalid: Array<{ index: number; name?: string; error: string }>; concurrency: number }
interface BatchView { id: string; state: string; total: number; invalid: number; concurrency: number; counts: Record<string, number>; running: number; items: Array<{ index: number; name: string; instance_id: string | null; status: string; error: string | null }> }

const TYPES: Record<string, string> = { '.csv': 'text/csv', '.ndjson': 'application/x-ndjson', '.jsonl': 'application/x-ndjson', '.json': 'application/json' };
/** What an item shows once it has run. */
const FINISHED = ['Active', 'Error', 'Terminated', 'Cancelled', 'Deleted'];

/** batch (submit a file and follow it), batch-status (a batch as it stands). */
export function registerBatchCommands(program: Command, ctx: CliContext): void {
  program
    .command('batch <version-id> <file>')
    .description('deploy every instance of a CSV, NDJSON or JSON file as one batch, with a live progress bar and a summary at the end')
    .option('--concurrency <n>', 'items running at once (the gateway takes 1..1000; default 20)', positiveInt('--concurrency'))
    .option('--continue-on-invalid', 'run the valid items when some are invalid (else nothing starts)')
    .option('--no-wait', 'answer with the batch id as soon as it runs')
    .option('--timeout <seconds>', 'give up waiting after this long (exit 9)', positiveInt('--timeout'), 24 * 3600)
    .option('--json', 'the submission and the final batch as JSON')
    .action(ctx.run(async (versionId: string, file: string, opts: { concurrency?: number; continueOnInvalid?: boolean; wait: boolean; timeout: number; json?: boolean }) => {
      const type = TYPES[extname(file).toLowerCase()];
      if (!type) throw new CliError(ExitCode.Usage, `${file}: give a .csv, .ndjson, .jsonl or .json file`);
      try {
        statSync(file);
      } catch {
        throw new CliError(ExitCode.Usage, `${file}: no such file`);
      }
      const query = new URLSearchParams({ ...(opts.concurrency ? { concurrency: String(opts.concurrency) } : {}), ...(opts.continueOnInvalid ? { continue_on_invalid: 'true' } : {}) });
      const client = ctx.client();
      const submitted = await client.upload<Submitted>(`${API}/ServiceManifest/${encodeURIComponent(versionId)}/deployBatch?${query}`, () => createReadStream(file), type);
      if (!opts.json) {
        process.stderr.write(`batch ${submitted.batch_id}: ${submitted.valid} of ${submitted.total} items to run, ${submitted.concurrency} at a time\n`);
        for (const i of submitted.invalid) process.stderr.write(`${colors.yellow('invalid')} items[${i.index}]${i.name ? ` ${i.name}` : ''}: ${i.error}\n`);
      }
      if (!opts.wait) {
        if (opts.json) printJson(submitted);
        else process.stdout.write(`${submitted.batch_id}\n`);
        return;
      }
      const done = await follow(client, submitted, opts.timeout);
      if (opts.json) printJson({ submitted, batch: done });
      else summary(done);
      return (done.counts.Error ?? 0) > 0 ? ExitCode.Failed : ExitCode.Ok;
    }));

  program
    .command('batch-status <batch-id>')
    .description('a batch as it stands: counts per status, and its failed items')
    .option('--json', 'JSON instead of tables')
    .action(ctx.run(async (id: string, opts: { json?: boolean }) => {
      const batch = await ctx.client().get<BatchView>(`${API}/Batches/${encodeURIComponent(id)}?filter[where][status]=Error&filter[limit]=500`);
      if (opts.json) return printJson(batch);
      summary(batch);
    }));
}

/** Polls the batch each second, drawing its progress (done / failed / running, rate, ETA) until every item has run. */
async function follow(client: GatewayClient, submitted: Submitted, timeoutSeconds: number): Promise<BatchView> {
  const bar = new SingleBar(
    {
      format: `${colors.bold('batch')} [{bar}] {percentage}% | {value}/{total} done | {failed} failed | {running} running | {rate}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      // not a terminal (a CI log, a pipe): a plain line every few seconds instead of redrawing
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5000,
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  bar.start(submitted.valid, 0, { failed: 0, running: 0, rate: '0.0' });
  const started = Date.now();
  const deadline = started + timeoutSeconds * 1000;
  try {
    for (;;) {
      const batch = await client.get<BatchView>(`${API}/Batches/${submitted.batch_id}?filter[limit]=1`);
      const finished = Object.entries(batch.counts).reduce((n, [status, c]) => n + (FINISHED.includes(status) ? c : 0), 0);
      const rate = finished / Math.max(1, (Date.now() - started) / 1000);
      bar.update(finished, { failed: batch.counts.Error ?? 0, running: batch.running, rate: rate.toFixed(1) });
      if (batch.state !== 'Running' && batch.running === 0) {
        bar.stop();
        return await client.get<BatchView>(`${API}/Batches/${submitted.batch_id}?filter[where][status]=Error&filter[limit]=500`);
      }
      if (Date.now() > deadline) throw new CliError(ExitCode.Timeout, `batch ${submitted.batch_id}: still running after ${timeoutSeconds} s (cam-esc batch-status ${submitted.batch_id})`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    bar.stop();
  }
}

function summary(batch: BatchView): void {
  process.stdout.write(`batch ${batch.id}: ${colourStatus(batch.state)}, ${batch.total} items, concurrency ${batch.concurrency}\n`);
  printTable(['status', 'items'], Object.entries(batch.counts).sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => [colourStatus(status), n]));
  const failed = batch.items.filter((i) => i.status === 'Error');
  if (failed.length) printTable(['failed item', 'name', 'instance id'], failed.slice(0, 50).map((i) => [i.index, i.name, i.instance_id]));
}
