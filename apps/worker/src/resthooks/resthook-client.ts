import { Injectable } from '@nestjs/common';
import { HttpAnswer, StepRequest } from '@cam-esc/flow';
import { request } from 'undici';

const MAX_REDIRECTS = 5;
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Makes a resthook step's call: one request with a deadline, following a redirect only within
 * the same origin (a redirect elsewhere is answered as the failure it is, never followed), reading
 * at most 1 MB of the answer. A call that gets no answer reads as status 0 with the reason.
 */
@Injectable()
export class ResthookClient {
  async call(call: StepRequest, timeoutMs: number): Promise<HttpAnswer> {
    const deadline = AbortSignal.timeout(timeoutMs);
    let url = new URL(call.path);
    let method = call.method;
    let body = call.body;
    try {
      for (let hop = 0; ; hop++) {
        const res = await request(url, { method, headers: call.headers, body, signal: deadline, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
        const location = res.headers.location;
        if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
          await res.body.dump();
          const next = new URL(location, url);
          if (next.origin !== url.origin) return { status: res.statusCode, body: `redirect to another origin (${next.origin}) not followed` };
          if (hop >= MAX_REDIRECTS) return { status: res.statusCode, body: `more than ${MAX_REDIRECTS} redirects` };
          if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
          }
          url = next;
          continue;
        }
        return { status: res.statusCode, body: await readCapped(res.body), contentType: String(res.headers['content-type'] ?? '') };
      }
    } catch (e) {
      const reason = deadline.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : (e as Error).message;
      return { status: 0, body: `the call did not complete: ${reason}` };
    }
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      break;
    }
    chunks.push(chunk);
  }
  // PostgreSQL text cannot hold NUL: the answer is recorded with U+FFFD in its place
  return Buffer.concat(chunks).toString('utf8').replaceAll('\u0000', '\uFFFD');
}
