/**
 * Callback ingest: ESC's per-VM callback posted to `/esc/callbacks/{token}` of a real request
 * (stored and queued; the worker is stopped so that only ingest is measured) against a bare
 * server that parses the same XML and does one INSERT.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFloor } from '../lib/floor-server';
import { compare, Comparison } from '../lib/load';
import { deployBody, ROOT, Stack, until } from '../lib/stack';
import { LoadSettings } from './accept';

export async function measureCallbacks(stack: Stack, manifest: string, settings: LoadSettings): Promise<Comparison> {
  const { callbackToken, transactionId, internalId } = await oneDeployedRequest(stack, manifest);
  await stack.stop('worker');
  const fixture = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'esc', 'callback_deploy_2_vm_alive.json'), 'utf8')) as { headers: Record<string, string>; body: string };
  const body = fixture.body.replaceAll('my_dep_id', internalId);
  const headers = { ...fixture.headers, ESC_TRANSACTION_ID: transactionId };
  const floor = await startFloor(stack, 'bare-callback', settings.floorPort);
  try {
    return await compare({ url: `${stack.base}/esc/callbacks/${callbackToken}`, method: 'POST', headers, body }, { url: floor.url, method: 'POST', headers, body }, settings);
  } finally {
    await floor.destroy();
    await stack.clearInstances();
    await stack.start('worker');
  }
}

async function oneDeployedRequest(stack: Stack, manifest: string): Promise<{ callbackToken: string; transactionId: string; internalId: string }> {
  await stack.start('worker');
  const deploy = await stack.api('POST', `/cam/composer/api/v1/ServiceManifest/${manifest}/deploy`, deployBody('callbacks'));
  if (deploy.status !== 200) throw new Error(`deploy answered ${deploy.status}: ${JSON.stringify(deploy.json)}`);
  await until('the callbacks bench instance to be Active', async () => (await stack.api('GET', `/cam/composer/api/v1/ServiceInstances/${deploy.json.id}`)).json?.Status === 'Active', 60_000, 200);
  const db = await stack.db();
  try {
    const { rows } = await db.query<{ callback_token: string; transaction_id: string; internal_id: string }>(
      'SELECT q.callback_token, q.transaction_id, r.internal_id FROM esc_request q JOIN esc_resource r ON r.id = q.esc_resource_id WHERE r.service_instance_id = $1 LIMIT 1',
      [deploy.json.id],
    );
    return { callbackToken: rows[0].callback_token, transactionId: rows[0].transaction_id, internalId: rows[0].internal_id };
  } finally {
    await db.end();
  }
}
