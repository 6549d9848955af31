import { ServiceInstance } from '@cam-esc/persistence';

/** What a call that starts an action answers: the instance as it now stands and the action it runs. */
export function startedAnswer(started: { instance: ServiceInstance; actionId: string }, actionName: string) {
  return { name: started.instance.name, Status: started.instance.status, id: started.instance.id, action: actionName, action_instance_id: started.actionId };
}
