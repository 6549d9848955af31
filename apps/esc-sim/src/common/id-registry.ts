/**
 * Live objects by internal id, plus every internal id ever accepted: the reference advises
 * against recycling ids, so the simulator refuses a deleted object's id too (until reset).
 */
export class IdRegistry<T extends { internalId: string }> {
  private readonly live = new Map<string, T>();
  private readonly usedIds = new Set<string>();

  add(item: T): void {
    this.live.set(item.internalId, item);
    this.usedIds.add(item.internalId);
  }

  get(internalId: string): T | undefined {
    return this.live.get(internalId);
  }

  list(): T[] {
    return [...this.live.values()];
  }

  remove(internalId: string): void {
    this.live.delete(internalId);
  }

  wasEverUsed(internalId: string): boolean {
    return this.usedIds.has(internalId);
  }

  reset(): void {
    this.live.clear();
    this.usedIds.clear();
  }
}
