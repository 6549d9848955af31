/**
 * Live progress as Server-Sent Events, served by a second gateway replica in a process of its own
 * while the change is made through the first one and the worker: each state change, log line and
 * ESC callback once, in order; Last-Event-ID resumes without gaps; and a tenant-wide stream.
 */
import request from 'supertest';
import { freePort, GatewayProcess, startGatewayProcess } from './support/gateway-process';
import { asaTemplateContent, deployBody, escService } from './support/payloads';
import { openSse } from './support/sse-client';
import { Stack, startStack, TENANT_A, TENANT_B, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const API = '/cam/composer/api/v1/ServiceInstances';

describe('live progress (SSE) across two gateway processes', () => {
  let stack: Stack;
  let replica: GatewayProcess;
  let http: ReturnType<typeof request>;
  let manifestId: string;

  const instance = async (id: string) => (await http.get(`${API}/${id}`).set('Authorization', A)).body;

  beforeAll(async () => {
    // ESC takes its time, so that a stream opened after the deploy still sees it progress
    stack = await startStack({ callbackDelayMs: 150 });
    http = request(stack.gatewayUrl);
    replica = await startGatewayProcess(stack.env, await freePort());
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    manifestId = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA streamed')).expect(200)).body.serviceManifestId;
  }, 90_000);
  afterAll(async () => {
    await replica?.stop();
    await stack?.close();
  });

  it('streams a deploy made through the other gateway, event by event, and ends when the action ends; Last-Event-ID resumes after any event without gaps', async () => {
    const tenantStream = await openSse(`${replica.url}${API}/events`, { Authorization: A });
    expect(tenantStream.status).toBe(200);
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('streamed-01', { image: 'ASA' })).expect(200)).body.id;
    const stream = await openSse(`${replica.url}${API}/${id}/events`, { Authorization: A });
    expect(stream.status).toBe(200);
    await stream.ended; // the server ends it once the provision has ended
    const events = stream.events;
    expect(events[0]).toMatchObject({ event: 'snapshot', data: { serviceInstanceId: id, action: 'Provision' } });
    const finished = events.find((e) => e.event === 'action' && e.data.event === 'finished');
    expect(finished?.data).toMatchObject({ action: 'Provision', action_status: 'Succeeded', Status: 'Active' });
    expect(events[events.length - 1]).toBe(finished);
    const stages = events.filter((e) => e.event === 'callback').map((e) => e.data.stage);
    expect(stages).toEqual(expect.arrayContaining(['VM_ALIVE', 'SERVICE_ALIVE']));
    expect(events.some((e) => e.event === 'log' && String(e.data.line).includes('ESC SERVICE_ALIVE with ESC-Status-Code 200'))).toBe(true);
    // ids grow, none repeats
    const ids = events.slice(1).map((e) => BigInt(e.id!));
    expect(ids.every((v, i) => i === 0 || v > ids[i - 1])).toBe(true);
    expect((await instance(id)).Status).toBe('Active');

    // the tenant's stream on the replica saw the same events of the instance
    const ofInstance = await tenantStream.until((e) => e.data.serviceInstanceId === id && e.event === 'action' && e.data.event === 'finished');
    const tenantIds = ofInstance.filter((e) => e.data.serviceInstanceId === id).map((e) => e.id);
    expect(tenantIds).toEqual(expect.arrayContaining(events.slice(1).map((e) => e.id)));
    tenantStream.close();

    // resumed from the first gateway after the event in the middle: exactly the ones after it, then the end
    const middle = events[Math.floor(events.length / 2)];
    const resumed = await openSse(`${stack.gatewayUrl}${API}/${id}/events`, { Authorization: A, 'Last-Event-ID': middle.id! });
    await resumed.ended;
    const after = events.filter((e) => e.id && BigInt(e.id) > BigInt(middle.id!));
    expect(resumed.events.map((e) => e.id)).toEqual(after.map((e) => e.id));
  });

  it('an instance with no action running: the stream says where it stands and ends; a terminate is followed the same way', async () => {
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('streamed-02', { image: 'ASA' })).expect(200)).body.id;
    await waitFor(() => instance(id), (i) => i.Status === 'Active', 'Active');
    const idle = await openSse(`${replica.url}${API}/${id}/events`, { Authorization: A });
    await idle.ended;
    expect(idle.events.map((e) => e.event)).toEqual(['snapshot']);
    expect(idle.events[0].data).toMatchObject({ Status: 'Active', action: 'Provision', action_status: 'Succeeded' });

    await http.post(`${API}/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    const following = await openSse(`${replica.url}${API}/${id}/events`, { Authorization: A });
    await following.ended;
    expect(following.events[following.events.length - 1].data).toMatchObject({ event: 'finished', action: 'terminate', Status: 'Terminated' });
  });

  it('answers 204 to a resumed stream with nothing after its event and no action running (EventSource stops reconnecting)', async () => {
    const id = (await http.get(API).set('Authorization', A)).body[0].id;
    const all = await openSse(`${replica.url}${API}/${id}/events`, { Authorization: A });
    await all.ended;
    const latest = all.events[0].id!;
    const res = await request(replica.url).get(`${API}/${id}/events`).set('Authorization', A).set('Last-Event-ID', latest);
    expect(res.status).toBe(204);
    const ahead = await request(replica.url).get(`${API}/${id}/events`).set('Authorization', A).set('Last-Event-ID', String(BigInt(latest) + 1000n));
    expect({ status: ahead.status, message: ahead.body.error?.message }).toEqual({ status: 400, message: expect.stringMatching(/^Last-Event-ID: \d+ is not the id of an event of this instance/) });
  });

  it('refuses a Last-Event-ID that is not one of its ids (400), and another tenant’s or an unknown instance (404)', async () => {
    const id = (await http.get(API).set('Authorization', A)).body[0].id;
    const bad = await request(replica.url).get(`${API}/${id}/events`).set('Authorization', A).set('Last-Event-ID', 'abc');
    expect({ status: bad.status, message: bad.body.error?.message }).toEqual({ status: 400, message: expect.stringMatching(/^Last-Event-ID: 'abc' is not an id/) });
    expect((await request(replica.url).get(`${API}/${id}/events`).set('Authorization', `Bearer ${TENANT_B.token}`)).status).toBe(404);
    expect((await request(replica.url).get(`${API}/00000000-0000-4000-8000-000000000000/events`).set('Authorization', A)).status).toBe(404);
    expect((await request(replica.url).get(`${API}/events`).set('Authorization', A).set('Last-Event-ID', '-1')).status).toBe(400);
  });
});
