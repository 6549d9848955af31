import { SecuredValues } from '../secured-values';
import { Injectable } from '@nestjs/common';
import { maskSecrets } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { parseEscCallback } from '@cam-esc/esc';
import { EscCallbackRepository, InstanceRepository } from '@cam-esc/persistence';

/** The most an event history answers (newest first). */
const HISTORY = 200;

/**
 * GET ServiceInstances/{id}/escEvents: the ESC events of the instance's resources that came
 * outside any request (Callback-ESC-Events: VM down and alive, recovery, scaling), newest first,
 * with what the gateway made of each.
 */
@Injectable()
export class ListEscEventsUseCase {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly callbacks: EscCallbackRepository,
    private readonly secured: SecuredValues,
  ) {}

  async execute(tenantId: string, id: string) {
    const instance = await this.instances.findDetails(tenantId, id);
    if (!instance) throw DomainException.notFound('service instance', id);
    // ESC's words may echo what a step sent: every action's secrets are masked
    const secrets = this.secured.of(instance.actions);
    const mask = (text: string | null) => (text === null ? null : maskSecrets(text, secrets));
    const rows = await this.callbacks.eventsOfInstance(id, HISTORY);
    return rows.map((e) => ({
      id: e.id,
      received_time: e.receivedAt.toISOString(),
      applied_time: e.appliedAt?.toISOString() ?? null,
      stage: e.stage,
      status_code: e.statusCode,
      status_message: mask(e.statusMessage),
      internal_id: e.internalId,
      outcome: e.outcome,
      detail: mask(e.detail),
      vm_name: vmNameOf(e.body),
    }));
  }
}

function vmNameOf(body: string): string | null {
  try {
    return parseEscCallback({}, body).vm?.name ?? null;
  } catch {
    return null;
  }
}
