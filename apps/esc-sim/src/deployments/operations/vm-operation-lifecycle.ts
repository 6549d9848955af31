import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CallbackSender, CallbackTarget } from '../../callbacks/callback-sender';
import { OperationContext } from '../../common/operation-runner';
import { SimDeployment, SimVm } from '../deployment.model';
import { EscEventType, escEventXml } from '../xml/esc-event.xml';
import { VmOperationKind } from './operation-kinds';

/** A request's callbacks, or (without transaction id) those of an event ESC sees on its own. */
export type VmCallbackTarget = CallbackTarget & { failure?: { statusCode: number; message: string } };

// The reference has no recovery or snapshot example: these messages are the simulator's own.
const MESSAGES = {
  recoveryInit: (vm: SimVm) => `Recovery event for VM [${vm.name}] triggered`,
  recoveryUndeployed: (vm: SimVm) => `VM [${vm.name}] undeployed for recovery`,
  recoveryDeployed: (vm: SimVm) => `VM [${vm.name}] redeployed for recovery`,
  recoveryComplete: (vm: SimVm) => `Recovery: Successfully recovered VM [${vm.name}]`,
  snapshot: (vm: SimVm, name: string) => `Successfully created snapshot [${name}] of VM [${vm.name}]`,
};

/**
 * The asynchronous half of "08-VM Operations": <esc_event> callbacks, each after the configured
 * pause. A failed operation (fault rule) leaves the VM as it was, except a failed recovery,
 * which leaves it in VM_ERROR_STATE.
 */
@Injectable()
export class VmOperationLifecycle {
  constructor(private readonly sender: CallbackSender) {}

  /** One VM_<OPERATION>_COMPLETE event. */
  async operate(deployment: SimDeployment, vm: SimVm, kind: VmOperationKind, request: VmCallbackTarget, context: OperationContext): Promise<void> {
    await context.pause();
    if (request.failure) {
      await this.report(deployment, vm, kind.eventType, request, context, request.failure);
      return;
    }
    if (kind.vmState) vm.state = kind.vmState;
    await this.report(deployment, vm, kind.eventType, request, context, { statusCode: 200, message: kind.message(vm) });
  }

  /** VM_RECOVERY_INIT, _UNDEPLOYED, _DEPLOYED (new vm_uuid), _COMPLETE; a failure goes from INIT to a failed COMPLETE. */
  async recover(deployment: SimDeployment, vm: SimVm, request: VmCallbackTarget, context: OperationContext): Promise<void> {
    const ok = (message: string) => ({ statusCode: 200, message });
    await context.pause();
    await this.report(deployment, vm, 'VM_RECOVERY_INIT', request, context, ok(MESSAGES.recoveryInit(vm)));
    if (request.failure) {
      await context.pause();
      vm.state = 'VM_ERROR_STATE';
      await this.report(deployment, vm, 'VM_RECOVERY_COMPLETE', request, context, request.failure);
      return;
    }

    await context.pause();
    vm.state = 'VM_UNDEPLOYED_STATE';
    await this.report(deployment, vm, 'VM_RECOVERY_UNDEPLOYED', request, context, ok(MESSAGES.recoveryUndeployed(vm)));

    await context.pause();
    vm.uuid = randomUUID();
    vm.state = 'VM_INSERT_STATE';
    await this.report(deployment, vm, 'VM_RECOVERY_DEPLOYED', request, context, ok(MESSAGES.recoveryDeployed(vm)));

    await context.pause();
    vm.state = 'VM_ALIVE_STATE';
    await this.report(deployment, vm, 'VM_RECOVERY_COMPLETE', request, context, ok(MESSAGES.recoveryComplete(vm)));
  }

  /** One VM_SNAPSHOT_COMPLETE event naming the snapshot in event_details; the VM does not change. */
  async snapshot(deployment: SimDeployment, vm: SimVm, name: string, request: VmCallbackTarget, context: OperationContext): Promise<void> {
    await context.pause();
    const outcome = request.failure ?? { statusCode: 200, message: MESSAGES.snapshot(vm, name) };
    await this.report(deployment, vm, 'VM_SNAPSHOT_COMPLETE', request, context, outcome, name);
  }

  private report(
    deployment: SimDeployment,
    vm: SimVm,
    eventType: EscEventType,
    request: VmCallbackTarget,
    context: OperationContext,
    outcome: { statusCode: number; message: string },
    details = '',
  ): Promise<void> {
    const body = escEventXml(deployment, vm, eventType, details);
    return this.sender.report(request, outcome.statusCode, outcome.message, body, context.signal);
  }
}
