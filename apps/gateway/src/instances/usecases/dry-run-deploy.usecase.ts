import { Injectable } from '@nestjs/common';
import { maskSecrets, securedValues } from '@cam-esc/catalog';
import { EscConnections } from '@cam-esc/connections';
import { randomUUID } from 'node:crypto';
import { DeployRequest, DeployPreparation } from './deploy-preparation';

export interface DryRunStep {
  sequence: number;
  phase: 'main' | 'error';
  step_id: string;
  title: string;
  kind: string;
  /** The ESC connection; null for a resthook, which calls out directly. */
  connection: string | null;
  /** Base URL of the connection (ESC steps), for the operator's eyes. */
  connection_url?: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  template?: { name: string; version: string };
}

export interface DryRunAnswer {
  dryRun: true;
  valid: true;
  service_version_id: string;
  action: string;
  plan: string;
  steps: DryRunStep[];
}

/**
 * `deploy?dryRun=true`: the same checks as a deploy, answered with every step's rendered request
 * (secured values masked) in the order the worker would send them; nothing is written or sent.
 * References to earlier steps' outputs stay as written, since those steps have not run.
 */
@Injectable()
export class DryRunDeployUseCase {
  constructor(
    private readonly preparation: DeployPreparation,
    private readonly connections: EscConnections,
  ) {}

  async execute(req: DeployRequest): Promise<DryRunAnswer> {
    const prepared = await this.preparation.prepare(req, randomUUID());
    // hidden parameters are not shown back either (short values, which would mask unrelated text, excepted)
    const hidden = [...(prepared.plan.plan_parameters ?? []), ...(prepared.action.input_parameters ?? [])].filter((p) => p.hidden).map((p) => p.name);
    const hiddenValues = securedValues(prepared.resolved, hidden).filter((v) => v.length >= 4);
    const secrets = [...securedValues(prepared.resolved, prepared.secured), ...hiddenValues];
    const mask = (text: string) => maskSecrets(text, secrets);
    const steps: DryRunStep[] = [];
    for (const [i, step] of prepared.steps.entries()) {
      const { request } = prepared.rendered[i];
      const isEsc = step.kind !== 'resthook';
      const target = isEsc ? await this.connections.resolve(req.tenantId, step.connection) : undefined;
      steps.push({
        sequence: step.sequenceNo,
        phase: step.phase,
        step_id: step.id,
        title: step.title,
        kind: step.kind,
        connection: isEsc ? step.connection : null,
        ...(target && { connection_url: target.url }),
        method: request.method,
        path: mask(request.path),
        ...(request.headers && { headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, mask(v)])) }),
        ...(request.body !== undefined && { body: mask(request.body) }),
        ...(step.template && { template: { name: step.template.name, version: step.template.version } }),
      });
    }
    return { dryRun: true, valid: true, service_version_id: prepared.version.id, action: prepared.action.name, plan: prepared.plan.name, steps };
  }
}
