import type { RegisteredSp, SpRegistry } from './types.js';

/** An immutable registry; a reload builds a new one and swaps it whole (§8.3). */
export class StaticSpRegistry implements SpRegistry {
  private readonly byId: ReadonlyMap<string, RegisteredSp>;
  constructor(private readonly sps: readonly RegisteredSp[]) {
    this.byId = new Map(sps.map((sp) => [sp.entityId, sp]));
  }
  byEntityId(entityId: string): RegisteredSp | undefined {
    return this.byId.get(entityId);
  }
  all(): readonly RegisteredSp[] {
    return this.sps;
  }
}
