/**
 * @module The skill registry: skills loaded at start and registered over the API.
 */
import type { Skill } from "./skill.ts";

/** Filters of {@linkcode SkillRegistry.list}; all given ones must match. */
export interface SkillQuery {
  /** Exact category. */
  category?: string;
  /** A tag the skill carries. */
  tag?: string;
  /** Case-insensitive text in the name or description. */
  q?: string;
}

/** Options of {@linkcode SkillRegistry}. */
export interface SkillRegistryOptions {
  /** Stores a skill registered with {@linkcode SkillRegistry.register}. @default none */
  persist?: (skill: Skill) => Promise<void>;
}

/** Skills by name. */
export class SkillRegistry {
  readonly #skills = new Map<string, Skill>();
  readonly #persist: ((skill: Skill) => Promise<void>) | undefined;

  /** Creates a registry holding `skills`. */
  constructor(skills: Iterable<Skill> = [], options: SkillRegistryOptions = {}) {
    for (const skill of skills) this.put(skill);
    this.#persist = options.persist;
  }

  /** Stores, then adds or replaces, a skill; resolves `true` when it was new. */
  async register(skill: Skill): Promise<boolean> {
    await this.#persist?.(skill);
    return this.put(skill);
  }

  /** Adds or replaces a skill; returns `true` when it was new. */
  put(skill: Skill): boolean {
    const isNew = !this.#skills.has(skill.name);
    this.#skills.set(skill.name, skill);
    return isNew;
  }

  /** The skill called `name`, if registered. */
  get(name: string): Skill | undefined {
    return this.#skills.get(name);
  }

  /** Whether a skill called `name` is registered. */
  has(name: string): boolean {
    return this.#skills.has(name);
  }

  /** Skills matching every given filter, sorted by name. */
  list(query: SkillQuery = {}): Skill[] {
    const text = query.q?.toLowerCase();
    return [...this.#skills.values()]
      .filter((s) => query.category === undefined || s.category === query.category)
      .filter((s) => query.tag === undefined || (s.tags ?? []).includes(query.tag))
      .filter((s) =>
        text === undefined || s.name.toLowerCase().includes(text) ||
        s.description.toLowerCase().includes(text)
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Number of registered skills. */
  get size(): number {
    return this.#skills.size;
  }
}
