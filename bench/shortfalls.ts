/**
 * What the profile shows where a figure stays short of its goal: printed in the report beside
 * the figure, so a reader of bench/REPORT.md need not guess. Keep in step with the README's
 * Performance section (which has the before and after figures).
 */
/** The commit the explanations below were profiled on. */
export const SHORTFALLS_PROFILED_AT = 'commit de2922b (2026-12-01)';

export const SHORTFALLS: Array<{ matches: (path: string) => boolean; why: string }> = [
  {
    matches: (path) => path.startsWith('deploy accept'),
    why:
      'the gateway is CPU-bound (under 2% idle in `--cpu-prof`) at about 3 ms of CPU per deploy, where the floor spends about 0.25 ms. ' +
      "What the floor does not do: the bearer-token guard, class-validator on the body, the version's document and its templates read (two queries, " +
      'one of them joining the service), every parameter checked against its type, the flow checked and each step rendered once (about 5% of the CPU, ' +
      "fast-xml-parser's builder), the CAM answer built and serialized. Of the profile, Prisma's client runtime is about 16% and socket writes about 16% " +
      '(three statements and one Redis add per deploy). The instance and its action are written by one statement and the answer is not read back.',
  },
  {
    matches: (path) => path.startsWith('callback ingest'),
    why:
      'one statement stores the callback for its token (no read first), then one BullMQ add queues it for the worker, which the floor (parse and INSERT) does not do; what remains is ' +
      'the request pipeline of Nest and Express (bearer guard, routing, pino-http), and the XML checked against the hostile-input limits, validated, then parsed ' +
      "order-preserving (about 14% of the gateway's busy time, where the floor parses once without validating).",
  },
  {
    matches: (path) => path.startsWith('end to end on the redis'),
    why:
      "the floor assumes the database is the bottleneck, and it is not: PostgreSQL has CPU to spare while the worker is CPU-bound (about 15% idle), " +
      "its time in Prisma's client runtime (about 22%) and in the socket writes of its statements (about 21%), on two cores it shares with the gateway, " +
      'esc-sim, PostgreSQL and Redis. Cutting the transactions per deploy (49 → about 16 on Redis) raised the floor threefold; the deploys per second ' +
      'moved less. The next step is fewer statements inside the instance-lock transactions of the worker (about 50 per one-step deploy), where each costs a round trip and a Prisma call.',
  },
  {
    matches: (path) => path.startsWith('end to end on the postgres'),
    why:
      'as on the Redis queue, the worker is CPU-bound (Prisma client runtime and statement round trips) on two shared cores; here the transactions of BullMQ\'s PostgreSQL backend (about 35 per deploy) are counted too, which keeps its floor lower and its ratio higher than on Redis.',
  },
];
