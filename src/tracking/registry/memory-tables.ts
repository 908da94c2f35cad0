// RegistryTables in memory (MemoryStore): model states in a Map. A change applies wholly or not at all.
import { modelExists } from './rules.js';
import type { Change, RegistryTables } from './registry.js';
import type { ModelState } from './rules.js';

export class MemoryRegistryTables implements RegistryTables {
  private readonly models = new Map<string, ModelState>();

  async mutate<T>(name: string, _context: string, change: (current: ModelState | undefined) => Change<T>): Promise<T> {
    const outcome = change(this.models.get(name));
    if ('unchanged' in outcome) return outcome.result;
    const { next } = outcome;
    if (next !== undefined && next.name !== name && this.models.has(next.name)) throw modelExists(next.name);
    this.models.delete(name);
    if (next !== undefined) this.models.set(next.name, next);
    return outcome.result;
  }

  async load(name: string): Promise<ModelState | undefined> {
    return this.models.get(name);
  }

  async loadAll(): Promise<ModelState[]> {
    return [...this.models.values()];
  }
}
