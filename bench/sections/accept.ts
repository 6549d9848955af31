/**
 * Deploy accept: `POST …/ServiceManifest/{id}/deploy` answered by the gateway (worker stopped, so
 * only the accept path is measured) against a bare server that parses the JSON, does one INSERT
 * and one BullMQ add.
 */
import { startFloor } from '../lib/floor-server';
import { compare, Comparison } from '../lib/load';
import { deployBody, Stack, TOKEN } from '../lib/stack';

export interface LoadSettings {
  rounds: number;
  seconds: number;
  connections: number;
  floorPort: number;
}

export async function measureAccept(stack: Stack, manifest: string, settings: LoadSettings): Promise<Comparison> {
  await stack.stop('worker');
  const floor = await startFloor(stack, 'bare-deploy', settings.floorPort);
  try {
    const body = JSON.stringify(deployBody('[<id>]'));
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
    return await compare(
      { url: `${stack.base}/cam/composer/api/v1/ServiceManifest/${manifest}/deploy`, method: 'POST', headers, body },
      { url: floor.url, method: 'POST', headers, body },
      settings,
    );
  } finally {
    await floor.destroy();
    await stack.clearInstances();
  }
}
