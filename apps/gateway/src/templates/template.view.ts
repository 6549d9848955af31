import { EscTemplate } from '@cam-esc/persistence';

export function toTemplateView(t: EscTemplate, withContent: boolean) {
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
  };
}
