import { EscTemplate } from '@cam-esc/persistence';

export function toTemplateView(t: Omit<EscTemplate, 'content'> & { content?: string }, withContent: boolean, warnings?: string[]) {
  return {
    id: t.id,
    name: t.name,
    version: t.version,
    type: 'ESC',
    resource: t.resourceKind,
    placeholders: t.placeholders,
    ...(withContent ? { content: t.content } : {}),
    tenantId: t.tenantId,
    creationTime: t.createdAt.toISOString(),
    lastUpdated: t.updatedAt.toISOString(),
    ...(warnings ? { warning: warnings } : {}),
  };
}
