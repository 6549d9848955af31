import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import request from 'supertest';
import { testRunSettings } from './support/settings';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { Stack, startStack, TENANT_A, waitFor } from './support/stack';
import { redisEvictionPolicy } from '../libs/jobs/src/queue-backend';

const A = `Bearer ${TENANT_A.token}`;

/**
 * Runs in both e2e projects: on Redis, and on BullMQ's PostgreSQL backend. The queue behaviours
 * the worker relies on (delays, retries with backoff, stalled-job recovery, job schedulers, job-id
 * idempotency) are checked on whichever backend the project chose, with the connection the
 * gateway and worker use.
 */
describe(`the job queue on the ${testRunSettings().queueBackend} backend`, () => {
  let stack: Stack;
  const opened: Array<{ close(): Promise<void> }> = [];
  let n = 0;
  const queueName = () => `backend-check-${++n}`;
  const open = <T extends { close(): Promise<void> }>(thing: T): T => {
    opened.push(thing);
    return thing;
  };
  const queue = (name: string) => open(new Queue(name, { connection: stack.queue.connection as never, prefix: stack.queue.prefix }));
  const worker = (name: string, fn: (job: Job) => Promise<unknown>, opts: object = {}) => {
    const w = open(new Worker(name, fn, { connection: stack.queue.connection as never, prefix: stack.queue.prefix, ...opts }));
    w.on('error', () => undefined); // a force-closed worker may still report on its last job
    return w;
  };

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    for (const thing of opened.reverse()) await thing.close().catch(() => undefined);
    await stack?.close();
  });

  it('is what /health reports, and holds the jobs of a deploy where the backend says', async () => {
    const http = request(stack.gatewayUrl);
    const health = await http.get('/health').expect(200);
    expect(health.body.info.queue).toEqual({ status: 'up', backend: stack.queue.backend });

    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    const service = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('queue check')).expect(200);
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${service.body.serviceManifestId}/deploy`).set('Authorization', A).send(deployBody('q-01', { image: 'ASAv' })).expect(200)).body.id;
    await waitFor(async () => (await http.get(`/cam/composer/api/v1/ServiceInstances/${id}`).set('Authorization', A)).body.Status, (s) => s === 'Active', 'the deploy to go Active');
    const action = (await stack.db.query('SELECT id FROM action_instance WHERE service_instance_id = $1', [id])).rows[0].id as string;
    const runActionJob = `run-action.${action}.start`;
    if (stack.queue.backend === 'postgres') {
      const { rows } = await stack.db.query('SELECT count(*)::int AS n FROM bullmq.job WHERE id = $1', [runActionJob]);
      expect(rows[0].n).toBe(1);
    } else {
      const redis = new Redis(testRunSettings().redisUrl);
      try {
        expect(await redis.exists(`${stack.queue.prefix}:flow:${runActionJob}`)).toBe(1);
      } finally {
        redis.disconnect();
      }
      // and nothing of the queue in PostgreSQL
      expect((await stack.db.query("SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = 'bullmq'")).rows[0].n).toBe(0);
    }
  });

  it('adds a job once per job id, however often it is enqueued', async () => {
    const name = queueName();
    const q = queue(name);
    await Promise.all([1, 2, 3].map(() => q.add('once', { x: 1 }, { jobId: 'same-id' })));
    expect(await q.getJobCountByTypes('waiting')).toBe(1);
  });

  it('runs a delayed job no earlier than its delay', async () => {
    const name = queueName();
    const q = queue(name);
    const added = Date.now();
    await q.add('later', {}, { delay: 700 });
    let ranAt = 0;
    worker(name, async () => {
      ranAt = Date.now();
    });
    await waitFor(async () => ranAt, (t) => t > 0, 'the delayed job to run', 15_000);
    expect(ranAt - added).toBeGreaterThanOrEqual(650);
  });

  it('retries a failing job with its backoff until it succeeds', async () => {
    const name = queueName();
    const q = queue(name);
    const attempts: number[] = [];
    worker(name, async (job) => {
      attempts.push(Date.now());
      if (job.attemptsMade < 2) throw new Error(`attempt ${job.attemptsMade + 1} fails`);
    });
    const job = await q.add('flaky', {}, { attempts: 5, backoff: { type: 'fixed', delay: 200 } });
    await waitFor(async () => (await q.getJob(job.id!))?.finishedOn, Boolean, 'the retried job to complete', 15_000);
    const done = (await q.getJob(job.id!))!;
    expect(await done.getState()).toBe('completed');
    expect(attempts).toHaveLength(3);
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(180);
  });

  it('gives a job whose worker died back to another worker (stalled-job recovery)', async () => {
    const name = queueName();
    const q = queue(name);
    let taken!: () => void;
    const takenByFirst = new Promise<void>((r) => (taken = r));
    const first = worker(
      name,
      () => {
        taken();
        return new Promise(() => undefined); // never finishes: its worker "dies" below
      },
      { lockDuration: 1000, stalledInterval: 500 },
    );
    const job = await q.add('survivor', { n: 1 });
    await takenByFirst;
    await first.close(true); // force: the job stays active and its lock is no longer renewed
    let takenBySecond = false;
    worker(
      name,
      async () => {
        takenBySecond = true;
      },
      { lockDuration: 1000, stalledInterval: 500 },
    );
    await waitFor(async () => takenBySecond, Boolean, 'a second worker to take the stalled job', 20_000);
    await waitFor(async () => (await q.getJob(job.id!))?.getState(), (s) => s === 'completed', 'the stalled job to complete', 10_000);
  });

  it('runs a job scheduler repeatedly, and keeps one schedule per id', async () => {
    const name = queueName();
    const q = queue(name);
    let runs = 0;
    worker(name, async () => {
      runs += 1;
    });
    await q.upsertJobScheduler('tick', { every: 300 }, { name: 'tick' });
    await q.upsertJobScheduler('tick', { every: 300 }, { name: 'tick' });
    await waitFor(async () => runs, (r) => r >= 3, 'three scheduled runs', 15_000);
    expect(await q.getJobSchedulersCount()).toBe(1);
  });

  it('has the worker schedule its periodic sweep as a job scheduler', async () => {
    const flow = queue('flow');
    const schedulers = await flow.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain('sweep-in-flight');
    expect(schedulers.find((s) => s.key === 'sweep-in-flight')?.every).toBe(5 * 60_000);
  });
});

describe('the Redis the queues run on', () => {
  it("reads its maxmemory-policy (warned about at boot unless noeviction), and says nothing of a Redis that does not answer", async () => {
    expect(await redisEvictionPolicy(testRunSettings().redisUrl)).toMatch(/^(noeviction|allkeys-lru|volatile-lru|allkeys-lfu|volatile-lfu|allkeys-random|volatile-random|volatile-ttl)$/);
    expect(await redisEvictionPolicy('redis://127.0.0.1:1', 300)).toBeUndefined();
  });
});
