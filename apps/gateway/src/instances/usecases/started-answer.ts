import { ServiceInstance } from '@cam-esc/persistence';

/** What a call that starts an action answers: the instance as it now stands and the action it runs. */
export function startedAnswer(started: { instance: ServiceInstance; actionId: string }, actionName: string) {
  return { name: started.instance.name, Status: started.instance.status, id: started.instance.id, action: actionName, action_instance_id: started.actionId };
}

/** A value a client sent, shown in a message (whatever its type; at most 80 characters). */
export function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(typeof value));
  return text.slice(0, 80);
}
