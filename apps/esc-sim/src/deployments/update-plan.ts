import { DeploymentSpec, SimDeployment, SimVm, SimVmInterface, VmGroupSpec } from './deployment.model';
import { ResourceFactory } from './resource-factory';

/** What a PUT changes in a running deployment, VM by VM. */
export interface UpdatePlan {
  spec: DeploymentSpec;
  /** VMs of new vm_groups, and extra VMs where min_active grew. */
  added: SimVm[];
  /** VMs whose group's interfaces changed. */
  updated: Array<{ vm: SimVm; interfaces: SimVmInterface[] }>;
  /** VMs of vm_groups no longer in the datamodel, and surplus VMs where min_active shrank. */
  removed: SimVm[];
}

export function planUpdate(deployment: SimDeployment, spec: DeploymentSpec, factory: ResourceFactory): UpdatePlan {
  const plan: UpdatePlan = { spec, added: [], updated: [], removed: [] };
  const previousGroups = new Map(deployment.spec.vmGroups.map((group) => [group.name, group]));

  for (const group of spec.vmGroups) {
    const vms = deployment.vms.filter((vm) => vm.groupName === group.name).sort((a, b) => a.index - b.index);
    const kept = vms.slice(0, group.minActive);
    plan.removed.push(...vms.slice(group.minActive));

    const previous = previousGroups.get(group.name);
    if (previous && !sameNetworking(previous, group)) {
      for (const vm of kept) {
        plan.updated.push({ vm, interfaces: factory.interfaces(group, vm.index, vm.interfaces) });
      }
    }
    for (let index = kept.length; index < group.minActive; index++) {
      plan.added.push(factory.vm(deployment.name, group, index));
    }
  }

  const groupNames = new Set(spec.vmGroups.map((group) => group.name));
  plan.removed.push(...deployment.vms.filter((vm) => !groupNames.has(vm.groupName)));
  return plan;
}

function sameNetworking(a: VmGroupSpec, b: VmGroupSpec): boolean {
  return JSON.stringify([a.interfaces, a.staticIpPool]) === JSON.stringify([b.interfaces, b.staticIpPool]);
}
