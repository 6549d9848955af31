import { CompiledTemplate } from '@cam-esc/esc';

/** What the cache needs of a stored template: its identity, its revision and its XML. */
export interface CacheableTemplate {
  id: string;
  updatedAt: Date;
  content: string;
}

/**
 * Library templates parsed once per revision and process (templates are parsed and checked when
 * stored; this spares re-parsing them for every step that renders them).
 */
export class TemplateCache {
  private readonly entries = new Map<string, { revision: number; compiled: CompiledTemplate }>();

  constructor(private readonly capacity = 500) {}

  compiled(template: CacheableTemplate): CompiledTemplate {
    const revision = template.updatedAt.getTime();
    const hit = this.entries.get(template.id);
    if (hit && hit.revision === revision) {
      // refresh its place: the Map's order is the eviction order
      this.entries.delete(template.id);
      this.entries.set(template.id, hit);
      return hit.compiled;
    }
    const compiled = CompiledTemplate.compile(template.content);
    this.entries.set(template.id, { revision, compiled });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return compiled;
  }
}
