import request from 'supertest';

/**
 * ESC requests the way a client sends them: XML in and out, the Callback header set when
 * `callbackUrl` is given. Paths are below /ESCManager/v0, e.g. `tenants/t1` or `t1/networks/n1`.
 */
export class EscRequests {
  constructor(
    private readonly baseUrl: string,
    private readonly callbackUrl?: string,
  ) {}

  get(path: string) {
    return request(this.baseUrl).get(this.url(path)).set('Accept', 'application/xml');
  }

  post(path: string, body: string) {
    return this.withCallback(request(this.baseUrl).post(this.url(path))).set('Content-Type', 'application/xml').send(body);
  }

  put(path: string, body: string) {
    return this.withCallback(request(this.baseUrl).put(this.url(path))).set('Content-Type', 'application/xml').send(body);
  }

  delete(path: string) {
    return this.withCallback(request(this.baseUrl).delete(this.url(path)));
  }

  private url(path: string): string {
    return `/ESCManager/v0/${path}`;
  }

  private withCallback(req: request.Test): request.Test {
    req.set('Accept', 'application/xml');
    return this.callbackUrl ? req.set('Callback', this.callbackUrl) : req;
  }
}

/** A minimal body for a resource kind: <kind xmlns=...><name>..</name>...</kind>. */
export function resourceBody(kind: string, name: string, extra = ''): string {
  return `<${kind} xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">\n  <name>${name}</name>${extra}\n</${kind}>\n`;
}
