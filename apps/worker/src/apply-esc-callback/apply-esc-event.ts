import { Injectable } from '@nestjs/common';
import { EscCallback as ParsedCallback } from '@cam-esc/esc';
import { EscStepKind } from '@cam-esc/flow';
import { CallbackOutcome } from '@cam-esc/instances';
import { EscRequest, EscResource, Tx } from '@cam-esc/persistence';
import { recordVm } from '../esc-requests/record-vm';

export interface AppliedEvent {
  outcome: CallbackOutcome;
  detail?: string;
}

/**
 * An ESC event outside any request (posted to a request's Callback-ESC-Events URL): a VM down or
 * alive again, recovered, scaled out or in. It ends nothing; it updates the VM it names, and stays
 * in the instance's event history (the stored callback) whatever it says.
 */
@Injectable()
export class ApplyEscEvent {
  async apply(tx: Tx, request: EscRequest & { escResource: EscResource }, parsed: ParsedCallback, kind: EscStepKind): Promise<AppliedEvent> {
    const namedId = parsed.fields[kind.idOutput];
    if (namedId && namedId !== request.escResource.internalId) {
      return { outcome: CallbackOutcome.Unmatched, detail: `${kind.idOutput} ${namedId} is not ${request.escResource.internalId}` };
    }
    if (!parsed.stage) return { outcome: CallbackOutcome.Ignored, detail: 'an event without deployment_stage or event_type' };
    if (!parsed.vm) return { outcome: CallbackOutcome.Applied, detail: `event ${parsed.stage} of ${kind.kind} ${request.escResource.internalId}` };
    const written = await recordVm(tx, request.escResourceId, parsed.vm, parsed.stage);
    return written
      ? { outcome: CallbackOutcome.Applied, detail: `VM ${parsed.vm.name}: ${parsed.stage}` }
      : { outcome: CallbackOutcome.Ignored, detail: `VM ${parsed.vm.name} is already at a later stage` };
  }
}
