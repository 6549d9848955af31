import { SecuredValues } from '../secured-values';
import { Injectable } from '@nestjs/common';
import { maskSecrets } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { EscRequestAudit, EscRequestRepository } from '@cam-esc/persistence';

/**
 * The ESC audit of an instance: every request the gateway sent (or is about to send) for it, on
 * which connection, ESC's answer, and the callbacks matched to it, in order. What an operator
 * needs to debug a failed deploy. Secured values of the instance's actions are masked in every body; request
 * headers (a resthook's may carry credentials) are shown by name only.
 */
@Injectable()
export class AuditEscRequestsUseCase {
  constructor(
    private readonly requests: EscRequestRepository,
    private readonly secured: SecuredValues,
  ) {}

  async execute(tenantId: string, serviceInstanceId: string) {
    const audit = await this.requests.auditOfInstance(tenantId, serviceInstanceId);
    if (!audit) throw DomainException.notFound('service instance', serviceInstanceId);
    // ESC echoes what the provision sent in the callbacks of later actions too: every action's secrets are masked everywhere
    const secrets = this.secured.of(audit.map((r) => r.actionInstance));
    return audit.map((r) => toAuditEntry(r, secrets));
  }
}

function toAuditEntry(r: EscRequestAudit, secrets: string[]) {
  const mask = (text: string | null) => (text === null ? null : maskSecrets(text, secrets));
  return {
    id: r.id,
    action: { id: r.actionInstance.id, name: r.actionInstance.name, type: r.actionInstance.type },
    step_id: r.stepId,
    kind: r.escResource.kind,
    internal_id: r.escResource.internalId,
    connection: r.escResource.connectionName,
    operation: r.operation,
    method: r.method,
    path: mask(r.path),
    request_body: mask(r.body),
    request_header_names: Object.keys((r.headers ?? {}) as Record<string, unknown>),
    status: r.status,
    created_time: r.createdAt.toISOString(),
    sent_time: r.sentAt?.toISOString() ?? null,
    completed_time: r.completedAt?.toISOString() ?? null,
    esc_transaction_id: r.transactionId,
    http_status: r.httpStatus,
    response_body: mask(r.responseBody),
    esc_status_code: r.statusCode,
    esc_status_message: mask(r.statusMessage),
    callbacks: r.callbacks.map((c) => ({
      id: c.id,
      received_time: c.receivedAt.toISOString(),
      applied_time: c.appliedAt?.toISOString() ?? null,
      /** request: to the request's Callback URL; events: to its Callback-ESC-Events URL (ESC events outside any request) */
      channel: c.channel,
      stage: c.stage,
      esc_transaction_id: c.transactionId,
      esc_status_code: c.statusCode,
      esc_status_message: mask(c.statusMessage),
      outcome: c.outcome,
      detail: mask(c.detail),
      headers: c.headers,
      body: mask(c.body),
    })),
  };
}
