import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { HttpAnswer, StepRequest } from '@cam-esc/flow';
import { OutboundPolicy } from '@cam-esc/outbound';
import { Agent, request } from 'undici';

const MAX_REDIRECTS = 5;
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Makes a resthook step's call: one request with a deadline, following a redirect only within
 * the same origin (a redirect elsewhere is answered as the failure it is, never followed), reading
 * at most 1 MB of the answer, and only to hosts OUTBOUND_ALLOW allows (never to a link-local or
 * metadata address). A call that gets no answer, or may not go, reads as status 0 with the reason.
 */
@Injectable()
export class ResthookClient implements OnModuleDestroy {
  private readonly outbound: OutboundPolicy;
  private readonly agent: Agent;

  constructor(config: AppConfig) {
    this.outbound = new OutboundPolicy(config.outboundAllow);
    this.agent = new Agent({ connect: { lookup: this.outbound.lookup } });
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }

  async call(call: StepRequest, timeoutMs: number): Promise<HttpAnswer> {
    const deadline = AbortSignal.timeout(timeoutMs);
    let url = new URL(call.path);
    let method = call.method;
    let body = call.body;
    try {
      for (let hop = 0; ; hop++) {
        const refused = this.outbound.urlRule(url);
        if (refused) return { status: 0, body: `the call was not made: outbound call refused: ${refused}` };
        const res = await request(url, { method, headers: call.headers, body, signal: deadline, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, dispatcher: this.agent });
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
