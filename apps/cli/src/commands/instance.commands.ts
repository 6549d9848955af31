import { Command } from 'commander';
import ora from 'ora';
import { createParser } from 'eventsource-parser';
import { collectSet, CliContext, positiveInt } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { GatewayClient } from '../gateway-client';
import { colors, colourStatus, printJson, printTable } from '../output';

const API = '/cam/composer/api/v1';
const ENDED = ['Active', 'Error', 'Terminated'];

interface Instance { id: string; name: string; Status: string; logs?: string; action_status?: string; plan?: string; serviceVersionId?: string; last_action?: { name?: string; status?: string } }

/** deploy, dry-run, instances, watch, terminate. */
export function registerInstanceCommands(program: Command, ctx: CliContext): void {
  program
    .command('deploy <version-id>')
    .description('deploy an instance of a service version, and wait until it is Active (or in Error)')
    .requiredOption('--name <name>', "the instance's name")
    .option('--set <name=value>', 'an input parameter (repeat for each)', collectSet, {})
    .option('--plan <plan>', 'the plan to deploy')
    .option('--no-wait', 'answer as soon as the gateway took it')
    .option('--timeout <seconds>', 'give up waiting after this long (exit 9)', positiveInt('--timeout'), 1800)
    .option('--json', 'the instance as JSON')
    .action(ctx.run(async (versionId: string, opts: DeployOptions) => {
      const client = ctx.client();
      const submitted = await client.post<Instance>(`${API}/ServiceManifest/${encodeURIComponent(versionId)}/deploy`, deployBody(opts));
      if (!opts.wait) return show(submitted, opts.json);
      const done = await waitFor(client, submitted, ['Active', 'Error'], opts.timeout, `deploying ${submitted.name}`);
      show(done, opts.json);
      return done.Status === 'Active' ? ExitCode.Ok : ExitCode.Failed;
    }));

  program
    .command('dry-run <version-id>')
    .description('check a deploy exactly as deploy does, and show every step it would send, sending nothing')
    .requiredOption('--name <name>', "the instance's name")
    .option('--set <name=value>', 'an input parameter (repeat for each)', collectSet, {})
    .option('--plan <plan>', 'the plan to deploy')
    .option('--json', 'the steps as JSON')
    .action(ctx.run(async (versionId: string, opts: DeployOptions) => {
      const answer = await ctx.client().post<{ valid: boolean; steps: Array<{ sequence: number; phase: string; step_id: string; kind: string; connection: string; method: string; path: string }> }>(
        `${API}/ServiceManifest/${encodeURIComponent(versionId)}/deploy?dryRun=true`,
        deployBody(opts),
      );
      if (opts.json) return printJson(answer);
      printTable(['#', 'phase', 'step', 'kind', 'connection', 'request'], answer.steps.map((s) => [s.sequence, s.phase, s.step_id, s.kind, s.connection, `${s.method} ${s.path}`]));
    }));

  program
    .command('instances')
    .description("the tenant's instances, newest first")
    .option('--status <status>', 'only those in this Status (Active, Error, In_Progress, ...)')
    .option('--limit <n>', 'at most this many (500 at most)', positiveInt('--limit'), 100)
    .option('--json', 'JSON instead of a table')
    .action(ctx.run(async (opts: { status?: string; limit: number; json?: boolean }) => {
      const query = new URLSearchParams({ 'filter[limit]': String(opts.limit), ...(opts.status ? { 'filter[where][Status]': opts.status } : {}) });
      const instances = await ctx.client().get<Instance[]>(`${API}/ServiceInstances?${query}`);
      if (opts.json) return printJson(instances);
      printTable(['instance id', 'name', 'status', 'last action'], instances.map((i) => [i.id, i.name, colourStatus(i.Status), i.last_action ? `${i.last_action.name ?? ''} ${i.last_action.status ?? ''}`.trim() : '']));
    }));

  program
    .command('watch <instance-id>')
    .description("follow an instance's progress (its live events) until its action ends")
    .option('--json', 'one JSON event per line')
    .action(ctx.run(async (id: string, opts: { json?: boolean }) => {
      const client = ctx.client();
      await follow(client, id, opts.json);
      const after = await client.get<Instance>(`${API}/ServiceInstances/${encodeURIComponent(id)}`);
      if (!opts.json) process.stdout.write(`${after.name}: ${colourStatus(after.Status)}\n`);
      return after.Status === 'Error' ? ExitCode.Failed : ExitCode.Ok;
    }));

  program
    .command('terminate <instance-id>')
    .description('terminate an instance (delete what it made on ESC), and wait until it is Terminated')
    .option('--no-wait', 'answer as soon as the gateway took it')
    .option('--timeout <seconds>', 'give up waiting after this long (exit 9)', positiveInt('--timeout'), 1800)
    .option('--json', 'the instance as JSON')
    .action(ctx.run(async (id: string, opts: { wait: boolean; timeout: number; json?: boolean }) => {
      const client = ctx.client();
      const submitted = await client.post<Instance>(`${API}/ServiceInstances/${encodeURIComponent(id)}/terminate`, {});
      if (!opts.wait) return show(submitted, opts.json);
      const done = await waitFor(client, submitted, ['Terminated', 'Error'], opts.timeout, `terminating ${submitted.name}`);
      show(done, opts.json);
      return done.Status === 'Terminated' ? ExitCode.Ok : ExitCode.Failed;
    }));
}

interface DeployOptions {
  name: string;
  set: Record<string, string>;
  plan?: string;
  wait: boolean;
  timeout: number;
  json?: boolean;
}

function deployBody(opts: DeployOptions) {
  return {
    name: opts.name,
    ...(opts.plan ? { instance_plan: opts.plan } : {}),
    resourceProperties: { templateParameters: [], specifications: Object.entries(opts.set).map(([name, value]) => ({ name, value })) },
  };
}

function show(instance: Instance, json?: boolean): void {
  if (json) return printJson(instance);
  process.stdout.write(`${instance.name} (${instance.id}): ${colourStatus(instance.Status)}\n`);
  if (instance.Status === 'Error' && instance.logs) process.stdout.write(`${colors.dim(instance.logs.trim().split('\n').slice(-5).join('\n'))}\n`);
}

/** Polls the instance until it is in one of `statuses`, with a spinner on a terminal (a line per change otherwise). */
async function waitFor(client: GatewayClient, instance: Instance, statuses: string[], timeoutSeconds: number, what: string): Promise<Instance> {
  const tty = !!process.stderr.isTTY;
  const spinner = ora({ text: `${what}: ${instance.Status}`, isEnabled: tty, stream: process.stderr });
  spinner.start();
  const deadline = Date.now() + timeoutSeconds * 1000;
  let last = instance.Status;
  try {
    for (;;) {
      const now = await client.get<Instance>(`${API}/ServiceInstances/${encodeURIComponent(instance.id)}`);
      if (now.Status !== last) {
        last = now.Status;
        if (tty) spinner.text = `${what}: ${now.Status}`;
        else process.stderr.write(`${what}: ${now.Status}\n`);
      }
      if (statuses.includes(now.Status) || (ENDED.includes(now.Status) && now.Status !== instance.Status)) {
        spinner.stop();
        return now;
      }
      if (Date.now() > deadline) throw new CliError(ExitCode.Timeout, `${what}: still ${now.Status} after ${timeoutSeconds} s`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    spinner.stop();
  }
}

/** Prints an instance's live events (Server-Sent Events) until the gateway ends the stream. */
async function follow(client: GatewayClient, id: string, json?: boolean): Promise<void> {
  const body = await client.stream(`${API}/ServiceInstances/${encodeURIComponent(id)}/events`);
  const parser = createParser({
    onEvent(event) {
      let data: Record<string, unknown> = {};
      try {
        data = JSON.parse(event.data) as Record<string, unknown>;
      } catch {
        return;
      }
      if (json) return void process.stdout.write(`${JSON.stringify({ event: event.event, ...data })}\n`);
      if (event.event === 'log') process.stdout.write(`${String(data.line ?? '')}\n`);
      else if (event.event === 'state') process.stdout.write(`${colors.bold('Status')}: ${colourStatus(String(data.Status ?? ''))}\n`);
      else if (event.event === 'snapshot') process.stdout.write(`${colors.bold('Status')}: ${colourStatus(String((data as { Status?: unknown }).Status ?? ''))}\n`);
      else if (event.event === 'callback') process.stdout.write(`${colors.dim(`ESC ${String(data.stage ?? '')}: ${String(data.outcome ?? '')}`)}\n`);
    },
  });
  for await (const chunk of body) parser.feed(chunk.toString('utf8'));
}
