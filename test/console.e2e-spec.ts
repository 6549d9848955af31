/**
 * The operator console in a real browser (headless Chromium: the Debian package, driven by
 * playwright-core; CHROMIUM_PATH when it lives elsewhere) against the real gateway, worker and
 * esc-sim: log in, deploy from the catalog, watch the instance go Active live, run an ESC
 * operation, terminate, see a batch's failed item and retry it; a viewer sees no action buttons.
 * Every page is checked by axe-core (WCAG 2.1 A and AA: labels, contrast, keyboard, landmarks), at
 * 1280 px and on a laptop screen. Screenshots of each page go to test-output/console/.
 */
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { asaTemplateContent, escService } from './support/payloads';
import { consoleBrowser, expectAccessible, screenshot, SHOTS } from './support/console-browser';
import { Stack, startStack, TENANT_A, TENANT_B } from './support/stack';
import { startTcpProxy, TcpProxy } from './support/tcp-proxy';

const A = `Bearer ${TENANT_A.token}`;
const VIEWER_TOKEN = 'token-a-viewer';

describe('operator console (browser)', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let instanceUrl: string;
  // the browser reaches the gateway through a TCP proxy that a test cuts (a network cut, a gateway restart)
  let proxy: TcpProxy;
  let consoleUrl: string;

  const shot = (name: string, p: Page = page) => screenshot(p, name);
  const accessible = (where: string, p: Page = page) => expectAccessible(p, where);
  const login = async (p: Page, token: string) => {
    await p.goto(`${consoleUrl}/console/`);
    await p.getByLabel('Bearer token').fill(token);
    await p.getByRole('button', { name: 'Log in' }).click();
    await p.getByRole('heading', { name: 'Overview' }).waitFor();
  };

  beforeAll(async () => {
    browser = await consoleBrowser();
    stack = await startStack({
      callbackDelayMs: 300,
      // tenant-a runs the gateway: its admins see every tenant in the overview
      env: { API_TOKENS: `${TENANT_A.tenant}:${TENANT_A.token},${TENANT_A.tenant}:${VIEWER_TOKEN}:viewer,${TENANT_B.tenant}:${TENANT_B.token}`, OPERATIONS_TENANT: TENANT_A.tenant },
    });
    proxy = await startTcpProxy(Number(new URL(stack.gatewayUrl).port));
    consoleUrl = `http://127.0.0.1:${proxy.port}`;
    const http = request(stack.gatewayUrl);
    await http.post('/cam/api/v1/templates').set('Authorization', A).send({ name: 'asa-deployment', version: '1.0', type: 'ESC', content: asaTemplateContent() }).expect(201);
    const created = await http.post('/cam/composer/api/v1/Service/createService').set('Authorization', A).send(escService('ASA firewall')).expect(200);
    await http.post(`/cam/composer/api/v1/ServiceManifest/${created.body.serviceManifestId}/publish`).set('Authorization', A).send({}).expect(200);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await stack?.close();
  });

  it('refuses a wrong token, and logs in with a good one', async () => {
    await page.goto(`${consoleUrl}/console/`);
    await page.getByLabel('Bearer token').fill('not-a-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The gateway refused the token' }).waitFor();
    await shot('login-refused');
    await accessible('login');
    await login(page, TENANT_A.token);
    await expect(page.getByTestId('who').textContent()).resolves.toContain('tenant-a · admin');
    await shot('overview');
    await accessible('overview');
  }, 30_000);

  it('deploys from the catalog page and shows the instance going Active, live', async () => {
    await page.getByRole('link', { name: 'Catalog' }).click();
    // the service's image is CAM's built-in serviceicon_1.svg, drawn
    const icon = page.getByRole('button', { name: /ASA firewall/ }).locator('img.icon');
    await icon.waitFor();
    await expect(icon.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).resolves.toBe(64);
    await page.getByRole('button', { name: /ASA firewall/ }).click();
    await page.getByRole('cell', { name: 'Published' }).waitFor();
    await expect(page.getByLabel('Provision flow').getByText('asa-deployment 1.0').count()).resolves.toBe(1);
    // the template library, with the placeholders a step fills
    const placeholders = page.getByRole('list', { name: 'placeholders of asa-deployment 1.0' });
    await expect(placeholders.textContent()).resolves.toMatch(/\$\{image\}.*\$\{esc_tenant\}|\$\{esc_tenant\}.*\$\{image\}/);
    await page.getByRole('button', { name: 'Show the XML of asa-deployment 1.0' }).click();
    await page.getByText('asa-deployment XML').click();
    await expect(page.locator('.body pre').last().textContent()).resolves.toContain('<image>${image}</image>');
    await shot('catalog');
    await accessible('catalog');
    const form = page.getByRole('form', { name: /Deploy version/ });
    await form.getByLabel('Instance name').fill('console-asa-1');
    await form.getByLabel(/Image/).fill('ASA');
    await form.getByRole('button', { name: 'Deploy' }).click();
    await page.waitForURL(/\/console\/instances\/[0-9a-f-]{36}$/);
    instanceUrl = page.url();
    // ESC answers each step 300 ms later: the page shows the action running, then Active without a reload
    await page.getByRole('heading', { name: /console-asa-1/ }).getByText('Active', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('cell', { name: 'Provision' }).waitFor();
    await expect(page.locator('.timeline > li').count()).resolves.toBeGreaterThan(0);
    await page.getByText('request', { exact: true }).first().click();
    await expect(page.locator('.timeline pre').first().textContent()).resolves.toContain('<esc_datamodel');
    await shot('instance-active');
    await accessible('instance');
  }, 60_000);

  it('runs an ESC operation on the instance once confirmed, following the live stream again when it breaks', async () => {
    // ESC answers the reboot 2.5 s late: the action runs long enough for its stream to be cut
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'service_operation', match: { deploymentName: 'MyDemoDepName' }, delayMs: 2500, times: 1 }).expect(201);
    let streams = 0;
    page.on('request', (r) => void (/\/events\?/.test(r.url()) && streams++));
    await page.getByRole('button', { name: 'esc_reboot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm: esc_reboot' });
    await dialog.waitFor();
    await shot('confirm-operation');
    await accessible('confirm dialog');
    await dialog.getByRole('button', { name: 'Confirm esc_reboot' }).click();
    // the page follows the action live; then the network between browser and gateway is cut, and back
    await page.getByText('live', { exact: true }).waitFor();
    await proxy.cut();
    await new Promise((r) => setTimeout(r, 200));
    await proxy.restore();
    await page.getByRole('row', { name: /esc_reboot.*Succeeded/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: /console-asa-1/ }).getByText('Active', { exact: true }).waitFor();
    expect(streams).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('runs an ESC operation that takes a VM, chosen from the instance\'s VMs', async () => {
    await page.getByRole('button', { name: 'esc_vm_reboot' }).click();
    const dialog = page.getByRole('dialog', { name: 'esc_vm_reboot' });
    const vm = dialog.getByLabel(/vm_name|VM name/);
    await vm.waitFor();
    const vmName = (await page.getByRole('table').first().getByRole('cell').first().textContent())!;
    // nothing chosen yet (a reboot of the wrong VM is not a default): the instance's VMs to choose from
    await expect(vm.inputValue()).resolves.toBe('');
    await vm.selectOption(vmName);
    await shot('operation-inputs');
    await dialog.getByRole('button', { name: 'Run esc_vm_reboot' }).click();
    await page.getByRole('row', { name: /esc_vm_reboot.*Succeeded/ }).waitFor({ timeout: 30_000 });
  }, 60_000);

  it('updates a parameter of the instance: the form holds its values, and an unchanged form sends nothing', async () => {
    const updates = await request(stack.sim.baseUrl).get('/_sim/requests').then((r) => r.body.filter((x: { method: string }) => x.method === 'PUT').length);
    await page.getByRole('button', { name: 'Update', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Update' });
    const image = dialog.getByLabel(/^Image/);
    await image.waitFor();
    await expect(image.inputValue()).resolves.toBe('ASA');
    // a secured parameter shows no value: left empty, it keeps the one it has
    await expect(dialog.getByLabel(/^Admin password/).inputValue()).resolves.toBe('');
    // nothing changed: the dialog says so and sends nothing
    await dialog.getByRole('button', { name: 'Update', exact: true }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Nothing was changed.' }).waitFor();
    await image.fill('ASA-9.20');
    await shot('update-form');
    await accessible('update form');
    await dialog.getByRole('button', { name: 'Update', exact: true }).click();
    await page.getByRole('row', { name: /^update .*Succeeded/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: /console-asa-1/ }).getByText('Active', { exact: true }).waitFor();
    const puts = (await request(stack.sim.baseUrl).get('/_sim/requests')).body.filter((x: { method: string }) => x.method === 'PUT');
    expect(puts.length).toBeGreaterThan(updates);
    expect(puts[puts.length - 1].body).toContain('ASA-9.20');
  }, 60_000);

  it('upgrades the instance to a newer version, with the values it has', async () => {
    const http = request(stack.gatewayUrl);
    const serviceId = (await http.get('/cam/composer/api/v1/Service').set('Authorization', A).expect(200)).body[0].id;
    const doc = escService('ASA firewall');
    const next = { service: { ...doc.service, version: '1.1.0.0', upgrade_from: [{ version: '1.0.0.0' }] } };
    const added = await http.post(`/cam/composer/api/v1/Service/${serviceId}/addServiceVersion`).set('Authorization', A).send(next).expect(200);
    await http.post(`/cam/composer/api/v1/ServiceManifest/${added.body.id}/publish`).set('Authorization', A).send({}).expect(200);
    await page.reload();
    await page.getByRole('button', { name: 'Upgrade to 1.1.0.0' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upgrade to 1.1.0.0' });
    await dialog.getByLabel(/^Image/).waitFor();
    await expect(dialog.getByLabel(/^Image/).inputValue()).resolves.toBe('ASA-9.20');
    await dialog.getByRole('button', { name: 'Upgrade to 1.1.0.0' }).click();
    await page.getByText('ASA firewall 1.1.0.0').waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: /console-asa-1/ }).getByText('Active', { exact: true }).waitFor({ timeout: 30_000 });
    await expect(page.getByRole('button', { name: /Upgrade to/ }).count()).resolves.toBe(0);
  }, 60_000);

  it('lists the instance, and terminates it once confirmed', async () => {
    await page.getByRole('link', { name: 'Instances' }).click();
    await page.getByRole('link', { name: 'console-asa-1' }).waitFor();
    // search by part of the name, in any case
    const search = page.getByRole('search', { name: 'Find instances' });
    await search.getByLabel('Name').fill('nothing-like-it');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('cell', { name: 'No instances.' }).waitFor();
    await search.getByLabel('Name').fill('ASA-1');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'console-asa-1' }).waitFor();
    await shot('instances');
    await accessible('instances');
    await page.getByRole('link', { name: 'console-asa-1' }).click();
    await page.getByRole('button', { name: 'Terminate' }).click();
    await page.getByRole('dialog', { name: 'Confirm: Terminate' }).getByRole('button', { name: 'Confirm terminate' }).click();
    await page.getByRole('heading', { name: /console-asa-1/ }).getByText('Terminated', { exact: true }).waitFor({ timeout: 30_000 });
    await shot('instance-terminated');
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByText('Deploys and failures').waitFor();
    await expect(page.getByRole('img', { name: /1 deploys and 0 failures in the last 3 hours/ }).count()).resolves.toBe(1);
    // the operations tenant's admin sees every tenant: tenant-a's terminated instance (tenant-b has none)
    const tenantRow = page.getByRole('region', { name: "Every tenant's instances" }).getByRole('row', { name: /^tenant-a/ });
    // Submitted, In_Progress, Active, Error, Terminating, Terminated; actions running, failed in 24 h
    await expect(tenantRow.getByRole('cell').allTextContents()).resolves.toEqual(['0', '0', '0', '0', '0', '1', '0', '0']);
    // another tenant's admin, and the operations tenant's viewer, see their own tenant only
    const overview = (auth: string) => request(stack.gatewayUrl).get('/cam/api/v1/overview').set('Authorization', auth).expect(200).then((r) => r.body.tenants);
    await expect(overview(`Bearer ${TENANT_B.token}`)).resolves.toBeNull();
    await expect(overview(`Bearer ${VIEWER_TOKEN}`)).resolves.toBeNull();
    await expect(overview(A)).resolves.toEqual([{ tenant_id: 'tenant-a', instances: { Terminated: 1 }, running: 0, failed_24h: 0 }]);
    await page.getByRole('link', { name: 'Drift' }).click();
    await page.getByText(/^Checked /).waitFor();
    await shot('drift');
    await accessible('drift');
  }, 60_000);

  it('shows a batch whose item failed, with its error, and retries it', async () => {
    const http = request(stack.gatewayUrl);
    const manifestId = (await http.get('/cam/composer/api/v1/Service').set('Authorization', A).expect(200)).body[0].serviceManifestId;
    // ESC refuses the first create: the batch's first item ends in Error
    await request(stack.sim.baseUrl).post('/_sim/faults').send({ operation: 'create', match: { deploymentName: 'MyDemoDepName' }, respond: { status: 400, body: 'image not found' }, times: 1 }).expect(201);
    const items = ['branch-1', 'branch-2'].map((name) => ({ name, parameters: { image: 'ASA' } }));
    const batch = (await http.post(`/cam/composer/api/v1/ServiceManifest/${manifestId}/deployBatch`).set('Authorization', A).send({ items, concurrency: 1 }).expect(202)).body.batch_id;
    await page.getByRole('link', { name: 'Batches' }).click();
    const card = page.getByRole('article', { name: `Batch ${batch}` });
    await card.getByText(/2 of 2 done · 1 failed/).waitFor({ timeout: 30_000 });
    await card.getByRole('cell', { name: /image not found/ }).waitFor();
    await shot('batch-failed');
    await accessible('batches');
    await card.getByRole('button', { name: 'Retry failed' }).click();
    await page.getByRole('dialog', { name: 'Confirm: Retry failed' }).getByRole('button', { name: 'Confirm retry failed' }).click();
    await card.getByText(/2 of 2 done · 0 failed/).waitFor({ timeout: 30_000 });
    await card.getByRole('table').waitFor({ state: 'detached' });
    await shot('batch-retried');
  }, 60_000);

  it('shows a viewer no button it could not use', async () => {
    const viewer = await context.browser()!.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await viewer.newPage();
    await login(p, VIEWER_TOKEN);
    await p.getByText('Deploys and failures').waitFor();
    await expect(p.getByText('Every tenant').count()).resolves.toBe(0);
    await p.goto(instanceUrl);
    await p.getByRole('heading', { name: /console-asa-1/ }).waitFor();
    await expect(p.getByRole('button', { name: 'Terminate' }).count()).resolves.toBe(0);
    await expect(p.getByRole('group', { name: 'Actions' }).count()).resolves.toBe(0);
    await p.getByRole('link', { name: 'Batches' }).click();
    await p.getByText(/2 of 2 done/).waitFor();
    await expect(p.getByRole('button', { name: /Retry failed|Cancel batch/ }).count()).resolves.toBe(0);
    await p.getByRole('link', { name: 'Catalog' }).click();
    await p.getByRole('button', { name: /ASA firewall/ }).click();
    await p.getByRole('cell', { name: 'Published' }).first().waitFor();
    await expect(p.getByRole('button', { name: 'Deploy', exact: true }).count()).resolves.toBe(0);
    await shot('viewer-catalog', p);
    await viewer.close();
  }, 30_000);

  it('reads on a laptop screen (1366×768): no page scrolls sideways, and each passes axe-core', async () => {
    const laptop = await context.browser()!.newContext({ viewport: { width: 1366, height: 768 } });
    const p = await laptop.newPage();
    await login(p, TENANT_A.token);
    const pages: Array<[string, string, () => Promise<unknown>]> = [
      ['overview', '/console', () => p.getByText('Deploys and failures').waitFor()],
      ['instances', '/console/instances', () => p.getByRole('link', { name: 'console-asa-1' }).waitFor()],
      ['instance', new URL(instanceUrl).pathname, () => p.getByRole('heading', { name: /console-asa-1/ }).waitFor()],
      ['catalog', '/console/catalog', () => p.getByRole('button', { name: /ASA firewall/ }).waitFor()],
      ['batches', '/console/batches', () => p.getByText(/2 of 2 done/).waitFor()],
      ['drift', '/console/drift', () => p.getByText(/^Checked /).waitFor()],
    ];
    for (const [name, path, ready] of pages) {
      await p.goto(`${consoleUrl}${path}`);
      await ready();
      const [scrollWidth, innerWidth] = await p.evaluate(() => {
        const w = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
        return [w.document.documentElement.scrollWidth, w.innerWidth];
      });
      expect({ name, scrollWidth }).toEqual({ name, scrollWidth: innerWidth });
      await p.screenshot({ path: join(SHOTS, `laptop-${name}.png`) });
      await accessible(`${name} on a laptop`, p);
    }
    await laptop.close();
  }, 60_000);
});
