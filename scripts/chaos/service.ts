/**
 * What the chaos run deploys: the ESC seed's ASA deployment (test/support/payloads.ts) with its
 * deployment named after the instance (`${svc_instance.name}`), so that esc-sim's fault rules can
 * aim at one instance (`match.name` is a substring of the deployment name `<instance>-<uuid>`).
 */
import { asaTemplateContent, deployBody, escService } from '../../test/support/payloads';
import { Cam, CAM, ok } from './api';
import { TOKEN } from './stack';

export const TEMPLATE = { name: 'chaos-asa', version: '1.0' };

export const instanceName = (i: number) => `chaos-${String(i).padStart(5, '0')}`;
/** What esc-sim's `match.name` takes to hit this instance's deployment only. */
export const deploymentMatch = (name: string) => `${name}-`;

export function chaosTemplate(): string {
  const content = asaTemplateContent().replace('<name>MyDemoDepName</name>', '<name>${dep_name}</name>');
  if (!content.includes('${dep_name}')) throw new Error('the ASA fixture no longer names its deployment MyDemoDepName');
  return content;
}

export function chaosService() {
  const doc = escService('chaos ASA', TEMPLATE);
  const step = doc.service.actions[0].flow.templates[0]['ASA on ESC'];
  (step.template_params as Record<string, string>).dep_name = '${svc_instance.name}';
  return doc;
}

export const chaosDeployBody = (name: string) => deployBody(name, { image: 'ASAv' });

/** Stores the template and the service; answers the version to deploy. */
export async function createChaosService(cam: Cam): Promise<string> {
  const auth = `Bearer ${TOKEN}`;
  await ok(`${cam.base}/cam/api/v1/templates`, { method: 'POST', auth, body: { ...TEMPLATE, type: 'ESC', content: chaosTemplate() } });
  const service = await ok<{ serviceManifestId: string; warning?: unknown[] }>(`${cam.base}${CAM}/Service/createService`, { method: 'POST', auth, body: chaosService() });
  const manifestId = service.json.serviceManifestId;
  await ok(`${cam.base}${CAM}/ServiceManifest/${manifestId}/publish`, { method: 'POST', auth });
  return manifestId;
}
