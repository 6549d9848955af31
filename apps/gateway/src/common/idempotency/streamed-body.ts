import { Request } from 'express';
import { createHash, Hash } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';

/** The digest of a streamed body, for the requests whose Idempotency-Key needs it. */
const digests = new WeakMap<Request, { hash: Hash; read: boolean }>();

/** The body a handler streams (a batch upload): as it reads it, the Idempotency-Key's digest of it is taken. */
export function streamedBody(req: Request): Readable {
  const digest = digests.get(req);
  if (!digest) return req;
  digest.read = true;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      digest.hash.update(chunk);
      done(null, chunk);
    },
  });
  // pipeline: a broken-off upload errors the tap, and so whoever reads it
  return pipeline(req, tap, () => undefined) as Transform;
}

/** Takes the digest of the body as the handler streams it (streamedBody). */
export function digestWhileStreamed(req: Request): void {
  digests.set(req, { hash: createHash('sha256'), read: false });
}

/** The digest of what the handler streamed, or undefined when it did not read the body. */
export function streamedDigest(req: Request): string | undefined {
  const digest = digests.get(req);
  return digest?.read ? digest.hash.digest('hex') : undefined;
}

/** The digest of a body no handler reads (a retry compared with the first request), read to its end. */
export async function drainDigest(req: Request): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of req) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
