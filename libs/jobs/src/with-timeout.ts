/** The promise's outcome, or a rejection when it takes longer than `ms` (a queue store that does not answer must not hold a caller). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A queue's jobs by state (waiting, active, delayed, failed), or null when its store does not answer within `ms`. */
export async function jobCounts(queue: { getJobCounts(...states: string[]): Promise<Record<string, number>> }, ms = 1000): Promise<Record<string, number> | null> {
  return withTimeout(queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), ms).catch(() => null);
}
