import { Queue } from 'bullmq';
import request from 'supertest';
import { parseXml, rootElement, selectAll, textOf, childText } from '../libs/esc/src/datamodel/xml-tree';
import { asaTemplateContent, deployBody, escService, jsonFixture } from './support/payloads';
import { ESC_CREDENTIALS, Stack, startStack, TENANT_A, TENANT_B, waitFor } from './support/stack';

const A = `Bearer ${TENANT_A.token}`;
const B = `Bearer ${TENANT_B.token}`;

interface SimRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

describe('deploy and terminate on ESC (gateway + worker + esc-sim over HTTP, PostgreSQL, Redis)', () => {
  let stack: Stack;
  let http: ReturnType<typeof request>;
  let manifestId: string;

  const instance = async (id: string, auth = A) => (await http.get(`/cam/composer/api/v1/ServiceInstances/${id}`).set('Authorization', auth)).body;
  const untilStatus = (id: string, ...statuses: string[]) => waitFor(() => instance(id), (i) => statuses.includes(i.Status), `instance ${id} to become ${statuses.join('|')}`);
  const simRequests = async (): Promise<SimRequest[]> => (await request(stack.sim.baseUrl).get('/_sim/requests')).body;
  const deploy = (name: string, values: Record<string, unknown>) => http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy?tenantId=tenant-a&ace_orgGuid=all&cloudOE_spaceGuid=default`).set('Authorization', A).send(deployBody(name, values));

  beforeAll(async () => {
    stack = await startStack();
    http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    const service = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA firewall')).expect(200);
    manifestId = service.body.serviceManifestId;
    await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/publish`).set('Authorization', A).expect(200);
  });
  afterAll(() => stack?.close());

  it('deploys: Submitted, then Active once ESC reports SERVICE_ALIVE, with the VMs and ESC ids ESC reported', async () => {
    const res = await deploy('edge-fw-01', { image: 'ASAv-9.18', mgmt_ip: '10.10.0.5', admin_password: 'hunter2' });
    expect(res.status).toBe(200);
    const camShape = jsonFixture<Record<string, unknown>>('cam/service_instance_create.response.json');
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining(Object.keys(camShape)));
    expect(res.body).toMatchObject({ name: 'edge-fw-01', Status: 'Submitted', serviceManifestId: manifestId, instance_plan: 'Standard', action: 'Provision', Bearer_Token: '*******', tenantId: 'tenant-a' });
    const id = res.body.id;
    // CAM resolves the system tags in its answer
    expect(res.body.tags_input).toEqual(expect.arrayContaining([{ value: id, label: 'service_identifier', name: 'service_identifier', secured: false }, expect.objectContaining({ name: 'service_name', value: 'edge-fw-01' })]));
    // a secured input never comes back
    expect(JSON.stringify(res.body)).not.toContain('hunter2');

    const active = await untilStatus(id, 'Active', 'Error');
    expect(active.Status).toBe('Active');
    expect(active.active_time).toBeDefined();
    const [dep] = active.esc.deployments;
    expect(dep).toMatchObject({ step_id: 'escasa0001', esc_tenant: 'admin', status: 'Active' });
    expect(dep.internal_deployment_id).toMatch(/^ceg-[0-9a-f-]{36}$/);
    // the name ESC shows carries the same id, so an operator can go from one to the other
    expect(dep.deployment_name).toBe(`MyDemoDepName-${dep.internal_deployment_id.slice(4)}`);
    expect(dep.external_deployment_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(dep.transaction_ids).toEqual([{ operation: 'CREATE_DEPLOYMENT', transaction_id: expect.any(String), status: 'Succeeded' }]);
    expect(dep.vms).toEqual([
      expect.objectContaining({ group: 'ASA-1', state: 'VM_ALIVE', ip_addresses: ['10.10.0.5'], name: expect.stringContaining('ASA-1'), uuid: expect.any(String) }),
    ]);
    expect(active.logs).toContain('ESC SERVICE_ALIVE with ESC-Status-Code 200');
    expect(active.logs).not.toContain('hunter2');

    // what ESC received: the rendered datamodel, with the headers ESC asks for
    const posts = (await simRequests()).filter((r) => r.method === 'POST' && r.path === `/ESCManager/v0/deployments/${dep.internal_deployment_id}`);
    expect(posts).toHaveLength(1);
    const [post] = posts;
    expect(post.headers['content-type']).toMatch(/^application\/xml/);
    expect(post.headers['accept']).toBe('application/xml');
    expect(post.headers['callback']).toMatch(new RegExp(`^${stack.gatewayUrl}/esc/callbacks/[A-Za-z0-9_-]{20,}$`));
    // events outside any request (VM down, recovery, scaling) come to the request's own events URL
    expect(post.headers['callback-esc-events']).toBe(`${post.headers['callback']}/events`);
    expect(post.headers['authorization']).toBeDefined(); // Basic auth was sent (the sim redacts it in its log)
    const root = rootElement(parseXml(post.body!))!;
    const deployment = selectAll(root, ['tenants', 'tenant', 'deployments', 'deployment'])[0];
    expect(childText(deployment, 'name')).toBe(dep.deployment_name);
    expect(textOf(selectAll(deployment, ['vm_group', 'image'])[0])).toBe('ASAv-9.18');
    expect(selectAll(deployment, ['vm_group', 'interfaces', 'interface', 'ip_address']).map(textOf)).toEqual(['10.10.0.5']);

    // each callback was stored raw and matched to the request by its transaction id
    const { rows } = await stack.db.query(
      `SELECT c.stage, c.outcome, c.transaction_id = r.transaction_id AS matched, c.body LIKE '<?xml%' AS raw
         FROM esc_callback c JOIN esc_request r ON r.id = c.esc_request_id JOIN esc_resource s ON s.id = r.esc_resource_id
        WHERE s.internal_id = $1 ORDER BY c.seq`,
      [dep.internal_deployment_id],
    );
    expect(rows).toEqual([
      { stage: 'VM_DEPLOYED', outcome: 'Applied', matched: true, raw: true },
      { stage: 'VM_ALIVE', outcome: 'Applied', matched: true, raw: true },
      { stage: 'SERVICE_ALIVE', outcome: 'Applied', matched: true, raw: true },
    ]);
  });

  it('gives two instances of one service distinct ESC names and internal ids', async () => {
    const one = (await deploy('twin-1', { image: 'ASA' })).body.id;
    const two = (await deploy('twin-2', { image: 'ASA', mgmt_ip: '10.10.0.6' })).body.id;
    const [a, b] = await Promise.all([untilStatus(one, 'Active', 'Error'), untilStatus(two, 'Active', 'Error')]);
    expect([a.Status, b.Status]).toEqual(['Active', 'Active']);
    expect(a.esc.deployments[0].deployment_name).not.toBe(b.esc.deployments[0].deployment_name);
    expect(a.esc.deployments[0].internal_deployment_id).not.toBe(b.esc.deployments[0].internal_deployment_id);
  });

  it('runs a two-step flow in sequence order and terminates it in reverse order', async () => {
    const service = escService('two-step ASA');
    const flow = service.service.actions[0].flow;
    const second = structuredClone(flow.templates[0]) as Record<string, { id: string; template_params: Record<string, string> }>;
    second['ASA on ESC'].id = 'escasa0002';
    second['ASA on ESC'].template_params.mgmt_ip = '10.20.0.9';
    flow.templates.push(second as (typeof flow.templates)[number]);
    flow.sequence = { '0': 'escasa0002', '1': 'escasa0001' } as typeof flow.sequence;
    const version = (await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(service).expect(200)).body.serviceManifestId;
    const id = (await http.post(`/cam/composer/api/v1/ServiceManifest/${version}/deploy`).set('Authorization', A).send(deployBody('two-step', { image: 'ASA', mgmt_ip: '10.20.0.8' })).expect(200)).body.id;
    const active = await untilStatus(id, 'Active', 'Error');
    expect(active.Status).toBe('Active');
    const byStep = Object.fromEntries(active.esc.deployments.map((d: { step_id: string }) => [d.step_id, d]));
    expect(byStep.escasa0002.vms[0].ip_addresses).toEqual(['10.20.0.9']);
    expect(byStep.escasa0001.vms[0].ip_addresses).toEqual(['10.20.0.8']);
    const paths = (await simRequests()).map((r) => `${r.method} ${r.path}`);
    const postFirst = paths.indexOf(`POST /ESCManager/v0/deployments/${byStep.escasa0002.internal_deployment_id}`);
    const postSecond = paths.indexOf(`POST /ESCManager/v0/deployments/${byStep.escasa0001.internal_deployment_id}`);
    expect(postFirst).toBeGreaterThanOrEqual(0);
    expect(postSecond).toBeGreaterThan(postFirst);

    await http.post(`/cam/composer/api/v1/ServiceInstances/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    expect((await untilStatus(id, 'Terminated', 'Error')).Status).toBe('Terminated');
    const after = (await simRequests()).map((r) => `${r.method} ${r.path}`);
    const deleteLast = after.indexOf(`DELETE /ESCManager/v0/deployments/${byStep.escasa0001.internal_deployment_id}`);
    const deleteFirst = after.indexOf(`DELETE /ESCManager/v0/deployments/${byStep.escasa0002.internal_deployment_id}`);
    expect(deleteLast).toBeGreaterThanOrEqual(0);
    expect(deleteFirst).toBeGreaterThan(deleteLast);
  });

  it('applies a replayed or late callback without changing anything', async () => {
    const id = (await deploy('replayed', { image: 'ASA' })).body.id;
    const before = await untilStatus(id, 'Active', 'Error');
    const internalId = before.esc.deployments[0].internal_deployment_id;
    const { rows } = await stack.db.query(
      `SELECT r.callback_token, c.headers, c.body, c.stage FROM esc_callback c JOIN esc_request r ON r.id = c.esc_request_id JOIN esc_resource s ON s.id = r.esc_resource_id WHERE s.internal_id = $1`,
      [internalId],
    );
    const replay = (stage: string) => {
      const cb = rows.find((r) => r.stage === stage);
      return http.post(`/esc/callbacks/${cb.callback_token}`).set(cb.headers).send(cb.body).expect(200);
    };
    await replay('SERVICE_ALIVE'); // ESC resends the final callback
    await replay('VM_DEPLOYED'); // and an earlier stage arrives late
    const outcomes = await waitFor(
      async () => (await stack.db.query(`SELECT stage, outcome FROM esc_callback c JOIN esc_request r ON r.id = c.esc_request_id JOIN esc_resource s ON s.id = r.esc_resource_id WHERE s.internal_id = $1 ORDER BY seq`, [internalId])).rows,
      (r) => r.length === 5 && r.every((x) => x.outcome !== 'Received'),
      'replayed callbacks to be applied',
    );
    expect(outcomes.slice(3)).toEqual([
      { stage: 'SERVICE_ALIVE', outcome: 'Duplicate' },
      { stage: 'VM_DEPLOYED', outcome: 'Ignored' },
    ]);
    const after = await instance(id);
    expect(after.Status).toBe('Active');
    expect(after.esc.deployments[0].vms.map((v: { state: string }) => v.state)).toEqual(['VM_ALIVE']);
  });

  it('terminates: Terminating → DELETE on ESC → VM_UNDEPLOYED, SERVICE_UNDEPLOYED → Terminated', async () => {
    const id = (await deploy('short-lived', { image: 'ASA' })).body.id;
    const active = await untilStatus(id, 'Active', 'Error');
    const internalId = active.esc.deployments[0].internal_deployment_id;
    const res = await http.post(`/cam/composer/api/v1/ServiceInstances/${id}/terminate?tenantId=tenant-a`).set('Authorization', A).send({});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'short-lived', Status: 'Terminating', id });
    const done = await untilStatus(id, 'Terminated', 'Error');
    expect(done.Status).toBe('Terminated');
    expect(done.esc.deployments[0]).toMatchObject({ status: 'Undeployed', vms: [expect.objectContaining({ state: 'VM_UNDEPLOYED' })] });
    expect(done.esc.deployments[0].transaction_ids.map((t: { operation: string }) => t.operation)).toEqual(['CREATE_DEPLOYMENT', 'DELETE_DEPLOYMENT']);
    const deletes = (await simRequests()).filter((r) => r.method === 'DELETE' && r.path === `/ESCManager/v0/deployments/${internalId}`);
    expect(deletes).toHaveLength(1);
    expect(deletes[0].headers['callback']).toMatch(/\/esc\/callbacks\//);
    expect((await request(stack.sim.baseUrl).get(`/ESCManager/v0/deployments/${internalId}`).auth(ESC_CREDENTIALS.username, ESC_CREDENTIALS.password)).status).toBe(404);
    // a terminated instance cannot be terminated again
    expect((await http.post(`/cam/composer/api/v1/ServiceInstances/${id}/terminate`).set('Authorization', A).send({})).status).toBe(409);
  });

  it('ends in Error with ESC status and body when ESC keeps answering 503 (after ESC_RETRY_LIMIT attempts)', async () => {
    // 12 attempts (the default limit), each answered 503
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, respond: { status: 503, body: 'Failed to query VIM' }, times: 12 }).expect(201);
    const id = (await deploy('refused', { image: 'ASA' })).body.id;
    const failed = await untilStatus(id, 'Error', 'Active');
    expect(failed.Status).toBe('Error');
    expect(failed.logs).toMatch(/ESC answered HTTP 503 to POST \/v0\/deployments\/\S+: Failed to query VIM; gave up after 12 attempts/);
    expect(failed.logs).toContain('sending again in');
    // after a 5xx ESC may have made it all the same: terminating it asks ESC to delete it, and a 404 is fine
    await http.post(`/cam/composer/api/v1/ServiceInstances/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    const terminated = await untilStatus(id, 'Terminated', 'Error');
    expect(terminated.Status).toBe('Terminated');
    expect(terminated.logs).toContain('(404); treated as already deleted');
    const internalId = terminated.esc.deployments[0].internal_deployment_id;
    expect((await simRequests()).filter((r) => r.method === 'DELETE' && r.path.endsWith(internalId))).toHaveLength(1);
  });

  it('a create ESC refuses with a 4xx made nothing: terminate deletes nothing', async () => {
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, respond: { status: 400, body: 'Invalid image' }, times: 1 }).expect(201);
    const id = (await deploy('refused-400', { image: 'ASA' })).body.id;
    expect((await untilStatus(id, 'Error', 'Active')).logs).toMatch(/ESC answered HTTP 400 to POST \/v0\/deployments\/\S+: Invalid image/);
    await http.post(`/cam/composer/api/v1/ServiceInstances/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    const terminated = await untilStatus(id, 'Terminated', 'Error');
    expect(terminated.logs).toContain('ESC refused to create deployment');
    const internalId = terminated.esc.deployments[0].internal_deployment_id;
    expect((await simRequests()).filter((r) => r.method === 'DELETE' && r.path.endsWith(internalId))).toEqual([]);
  });

  it('survives the same step being run twice at once (a second worker, a retried job): one deployment, Active', async () => {
    const flow = new Queue('flow', { connection: stack.queue.connection, prefix: stack.queue.prefix });
    try {
      await flow.pause();
      const id = (await deploy('raced', { image: 'ASA' })).body.id;
      // queued after the answer (from the outbox): it may take a moment to show
      const [job] = await waitFor(() => flow.getJobs(['waiting']), (jobs) => jobs.length > 0, 'the deploy job to be queued');
      expect(job.data.serviceInstanceId).toBe(id);
      await flow.add('run-action', { ...job.data, trigger: 'second-worker' }, { jobId: `run-action.${job.data.actionInstanceId}.second-worker` });
      await flow.resume();
      const done = await untilStatus(id, 'Active', 'Error');
      expect(done.Status).toBe('Active');
      expect(done.esc.deployments).toHaveLength(1);
      const internalId = done.esc.deployments[0].internal_deployment_id;
      const posts = (await simRequests()).filter((r) => r.method === 'POST' && r.path === `/ESCManager/v0/deployments/${internalId}`);
      expect(posts.length).toBeGreaterThanOrEqual(1); // twice when both jobs sent it; then the second got 409 and found its own id on ESC
      if (posts.length > 1) expect(done.logs).toContain('an earlier attempt reached it');
    } finally {
      await flow.resume();
      await flow.close();
    }
  });

  it('ends in Error with ESC message when SERVICE_ALIVE carries a failure status', async () => {
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, callback: { statusCode: 500, message: 'VIM quota exceeded for tenant admin' }, times: 1 }).expect(201);
    const id = (await deploy('doomed', { image: 'ASA' })).body.id;
    const failed = await untilStatus(id, 'Error', 'Active');
    expect(failed.Status).toBe('Error');
    expect(failed.logs).toContain('ESC SERVICE_ALIVE with ESC-Status-Code 500: VIM quota exceeded for tenant admin');
    expect(failed.esc.deployments[0].status).toBe('Error');
    // ESC made the deployment (in error): terminate must delete it
    const internalId = failed.esc.deployments[0].internal_deployment_id;
    await http.post(`/cam/composer/api/v1/ServiceInstances/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    expect((await untilStatus(id, 'Terminated', 'Error')).Status).toBe('Terminated');
    expect((await simRequests()).filter((r) => r.method === 'DELETE' && r.path === `/ESCManager/v0/deployments/${internalId}`)).toHaveLength(1);
  });

  it('ends a terminate in Error when ESC refuses the DELETE', async () => {
    const id = (await deploy('undeletable', { image: 'ASA' })).body.id;
    const active = await untilStatus(id, 'Active', 'Error');
    const internalId = active.esc.deployments[0].internal_deployment_id;
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'delete', match: { internalId }, respond: { status: 409, body: 'Deployment is locked' }, times: 1 }).expect(201);
    await http.post(`/cam/composer/api/v1/ServiceInstances/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    const failed = await untilStatus(id, 'Error', 'Terminated');
    expect(failed.Status).toBe('Error');
    expect(failed.logs).toContain(`ESC answered HTTP 409 to DELETE /v0/deployments/${internalId}: Deployment is locked`);
    // the deployment is still there, so a second terminate tries again, and succeeds
    await http.post(`/cam/composer/api/v1/ServiceInstances/${id}/terminate`).set('Authorization', A).send({}).expect(200);
    expect((await untilStatus(id, 'Terminated', 'Error')).Status).toBe('Terminated');
  });

  it('answers 400 naming a missing required parameter, and writes nothing', async () => {
    const before = (await http.get('/cam/composer/api/v1/ServiceInstances').set('Authorization', A)).body.length;
    const res = await deploy('no-image', { mgmt_ip: '1.2.3.4' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("resourceProperties.specifications.image: 'image' is required and has no value");
    const bad = await deploy('typo', { image: 'a', imgae: 'b' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("'imgae' is not an input parameter");
    const noName = await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send({ instance_plan: 'Standard' });
    expect(noName.status).toBe(400);
    expect(noName.body.error.message).toContain('name must be');
    const badPlan = await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deploy`).set('Authorization', A).send(deployBody('p', { image: 'a' }, { instance_plan: 'Gold' }));
    expect(badPlan.status).toBe(400);
    expect(badPlan.body.error.message).toContain("instance_plan: 'Gold' is not a plan");
    expect((await http.get('/cam/composer/api/v1/ServiceInstances').set('Authorization', A)).body.length).toBe(before);
  });

  it("refuses to deploy a service whose step is not an ESC template (CAM's Terraform sample)", async () => {
    const seed = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(jsonFixture('cam/service_create.request.json')).expect(200);
    const res = await http.post(`/cam/composer/api/v1/ServiceManifest/${seed.body.serviceManifestId}/deploy`).set('Authorization', A).send(deployBody('tf', {}));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("Action 'Provision', step 'singlevi23cd3149': template 'SingleVirtualMachine' is of type 'Terraform'; only 'ESC' templates can run on ESC");
  });

  it('exposes Prometheus metrics drawn from the stored state', async () => {
    await untilStatus((await deploy('measured', { image: 'ASA' })).body.id, 'Active');
    const res = await http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const { rows } = await stack.db.query('SELECT status, count(*)::int AS n FROM service_instance GROUP BY status');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(res.text).toContain(`cam_esc_service_instances{status="${r.status}"} ${r.n}`);
    expect(res.text).toContain('cam_esc_callbacks_unapplied 0');
    expect(res.text).toMatch(/cam_esc_callbacks\{channel="request",stage="SERVICE_ALIVE",outcome="Applied"\} [1-9]\d*/);
    // an earlier test had ESC answer 503 twelve times: the resends are counted by connection
    expect(res.text).toMatch(/cam_esc_esc_resends\{connection="default"\} [1-9]\d*/);
    expect(res.text).toContain('# HELP cam_esc_esc_requests_waiting_to_resend');
    expect(res.text).toMatch(/cam_esc_queue_jobs\{queue="flow",state="waiting"\} \d+/);
    expect(res.text).toContain('cam_esc_gateway_process_resident_memory_bytes');
  });

  it("lists only the caller's instances and hides them from other tenants", async () => {
    const mine = (await http.get('/cam/composer/api/v1/ServiceInstances?tenantId=tenant-a').set('Authorization', A)).body;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((i: { tenantId: string }) => i.tenantId === 'tenant-a')).toBe(true);
    expect((await http.get('/cam/composer/api/v1/ServiceInstances').set('Authorization', B)).body).toEqual([]);
    expect((await http.get(`/cam/composer/api/v1/ServiceInstances/${mine[0].id}`).set('Authorization', B)).status).toBe(404);
    expect((await http.post(`/cam/composer/api/v1/ServiceInstances/${mine[0].id}/terminate`).set('Authorization', B).send({})).status).toBe(404);
  });

  it('lists instances as summaries, a page at a time, filtered, newest first', async () => {
    const list = (q: string) => http.get(`/cam/composer/api/v1/ServiceInstances${q}`).set('Authorization', A);
    const all = (await list('')).body;
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all[0]).toEqual(expect.objectContaining({ name: expect.any(String), Status: expect.any(String), id: expect.any(String), serviceManifestId: expect.any(String), catalogItemName: 'ASA firewall' }));
    // a summary: the whole record (logs, ESC resources, the service document) is GET …/{id}
    expect(all[0]).not.toHaveProperty('logs');
    expect(all[0]).not.toHaveProperty('serviceManifest');
    const times = all.map((i: { ordered_time: string }) => i.ordered_time);
    expect([...times].sort().reverse()).toEqual(times);

    const first = await list('?filter[limit]=2');
    expect(first.body.map((i: { id: string }) => i.id)).toEqual(all.slice(0, 2).map((i: { id: string }) => i.id));
    const cursor = first.headers['x-next-cursor'];
    expect(cursor).toEqual(expect.any(String));
    const second = await list(`?filter[limit]=2&filter[cursor]=${cursor}`);
    expect(second.body.map((i: { id: string }) => i.id)).toEqual(all.slice(2, 4).map((i: { id: string }) => i.id));
    expect((await list('?filter[skip]=1&filter[limit]=1')).body.map((i: { id: string }) => i.id)).toEqual([all[1].id]);

    const terminated = (await list('?filter[where][Status]=Terminated')).body;
    expect(terminated.length).toBeGreaterThan(0);
    expect(terminated.every((i: { Status: string }) => i.Status === 'Terminated')).toBe(true);
    // part of a name: like is case-sensitive, ilike not; % at the ends, escaped % and _ literal
    const names = (q: string) => list(q).then((r) => r.body.map((i: { name: string }) => i.name));
    const edge = all.filter((i: { name: string }) => i.name.includes('edge')).map((i: { name: string }) => i.name);
    expect(edge.length).toBeGreaterThan(0);
    expect(await names('?filter[where][name][like]=%25edge%25')).toEqual(edge);
    expect(await names('?filter[where][name][ilike]=%25EDGE%25')).toEqual(edge);
    expect(await names('?filter[where][name][like]=%25EDGE%25')).toEqual([]);
    expect(await names('?filter[where][name][like]=edge-%25')).toEqual(all.filter((i: { name: string }) => i.name.startsWith('edge-')).map((i: { name: string }) => i.name));
    expect(await names(`?filter=${encodeURIComponent(JSON.stringify({ where: { name: { ilike: '%Short%' } } }))}`)).toEqual(all.filter((i: { name: string }) => i.name.includes('short')).map((i: { name: string }) => i.name));
    // Prisma escapes the text: an escaped % matches only a %, not anything
    expect(await names('?filter[where][name][like]=%25\\%25%25')).toEqual([]);
    expect(await names('?filter[where][name][like]=%25\\_%25')).toEqual([]);
    expect(await names('?filter[where][name][like]=twin-%25')).toEqual(['twin-2', 'twin-1']);
    const rare = await list('?filter[where][name][like]=%25site_1%25');
    expect(rare.status).toBe(400);
    expect(rare.body.error.message).toBe('filter[where][name][like]: takes no _ wildcard (\\_ is a literal _)');
    for (const bad of ['filter[limit]=abc', 'filter[limit]=-1', 'filter[order]=color ASC', 'filter[where][colour]=red', 'filter[where][Status][like]=Act%25', 'filter[where][name][regexp]=x']) {
      const res = await list(`?${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^filter\[/);
    }
  });
});
