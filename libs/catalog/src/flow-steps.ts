import { DomainException } from '@cam-esc/errors';
import { CamAction, CamTemplateStep } from './service-document';

export type FlowStep =
  | { kind: 'template'; id: string; sequenceNo: number; title: string; template: CamTemplateStep }
  | { kind: 'resthook'; id: string; sequenceNo: number; title: string; resthook: { id: string; [key: string]: unknown } }
  | { kind: 'notification'; id: string; sequenceNo: number; title: string };

/** Ids of the flow's notifications (`{ emailnotification: { id, ... } }` entries). */
function notificationIds(flow: CamAction['flow']): Set<string> {
  const ids = new Set<string>();
  for (const entry of (flow?.notifications ?? []) as Array<Record<string, { id?: unknown } | undefined>>) {
    for (const n of Object.values(entry ?? {})) if (typeof n?.id === 'string') ids.add(n.id);
  }
  return ids;
}

/** `sequence` runs the flow; `error_sequence` runs after a step of it failed. */
export type SequenceName = 'sequence' | 'error_sequence';

/** The sequence entries that name no step of the flow. */
export function unknownSequenceEntries(action: CamAction, which: SequenceName = 'sequence'): Array<{ position: string; id: string }> {
  const flow = action.flow ?? {};
  const ids = new Set([...(flow.templates ?? []).map((entry) => Object.values(entry)[0]?.id), ...(flow.resthooks ?? []).map((r) => r.resthook.id), ...notificationIds(flow)]);
  return Object.entries(flow[which] ?? {})
    .filter(([, id]) => !ids.has(id))
    .map(([position, id]) => ({ position, id }));
}

/** The steps of an action's flow in sequence order (a sequence entry that names no step is a 400). */
export function stepsOf(action: CamAction, path = `action '${action.name}'`, which: SequenceName = 'sequence'): FlowStep[] {
  const flow = action.flow ?? {};
  const templates = new Map<string, { title: string; template: CamTemplateStep }>();
  for (const entry of flow.templates ?? []) {
    const [title, template] = Object.entries(entry)[0];
    templates.set(template.id, { title, template });
  }
  const resthooks = new Map((flow.resthooks ?? []).map((r) => [r.resthook.id, r.resthook]));
  const notifications = notificationIds(flow);
  return Object.entries(flow[which] ?? {})
    .map(([pos, id]) => ({ pos: Number(pos), id }))
    .sort((a, b) => a.pos - b.pos)
    .map(({ pos, id }, index): FlowStep => {
      const t = templates.get(id);
      if (t) return { kind: 'template', id, sequenceNo: index, title: t.title, template: t.template };
      const hook = resthooks.get(id);
      if (hook) return { kind: 'resthook', id, sequenceNo: index, title: typeof hook.title === 'string' ? hook.title : id, resthook: hook };
      if (notifications.has(id)) return { kind: 'notification', id, sequenceNo: index, title: id };
      throw DomainException.invalid(`${path}.flow.${which}.${pos}: '${id}' names no template, resthook or notification of the flow`, {
        field: `${path}.flow.${which}.${pos}`,
      });
    });
}

export function findAction(actions: CamAction[], name: string): CamAction | undefined {
  return actions.find((a) => a.name === name);
}
