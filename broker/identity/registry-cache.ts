// The registry as the request path reads it: partners and people kept in memory for a short time, dropped on every change made here.
import type { PartnerKind } from '../store/schema.ts';
import type { PartnerRecord, PersonRecord, Registry } from './registry.ts';

/** How long a read of the registry is reused by default. */
export const REGISTRY_CACHE_MS = 2_000;

export interface CachedRegistryOptions {
  /** How long one read of the partners (and of each person) is reused (default REGISTRY_CACHE_MS). */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/** The registry with in-memory reads, and the holder lookup the request flow needs. */
export interface CachedRegistry extends Registry {
  /** The registered partners of these kinds, ordered by id (the holders of a request's categories). */
  partnersOfKinds(kinds: readonly PartnerKind[]): Promise<PartnerRecord[]>;
  /** Forgets everything read, so the next read goes to the database. */
  invalidate(): void;
}

/**
 * Wraps a registry so the guard and the request flow do not query the database for the partner on
 * every request. All partners are read in one query and reused for `ttlMs`; each person is read on
 * first use and reused for `ttlMs`. Every change made through this registry drops what was read, so
 * it shows at once in this process; a change made by another process (a CLI command, another broker)
 * shows within `ttlMs`. Revocation does not depend on this: certificates are checked against the
 * trust store's revocation set on every request.
 *
 * @example const registry = cacheRegistry(createRegistry(store.db, audit));
 */
export function cacheRegistry(registry: Registry, options: CachedRegistryOptions = {}): CachedRegistry {
  const ttlMs = options.ttlMs ?? REGISTRY_CACHE_MS;
  const now = options.now ?? Date.now;
  interface Snapshot {
    readonly at: number;
    readonly list: PartnerRecord[];
    readonly byId: Map<string, PartnerRecord>;
    readonly byIdentifier: Map<string, PartnerRecord>;
  }
  let snapshot: { readonly at: number; readonly read: Promise<Snapshot> } | undefined;
  let people = new Map<string, { readonly at: number; readonly read: Promise<PersonRecord | undefined> }>();
  let generation = 0;
  const identifierKey = (type: string, identifier: string, unit: string) =>
    JSON.stringify([type, identifier, unit]);

  function partners(): Promise<Snapshot> {
    const at = now();
    if (snapshot !== undefined && at - snapshot.at < ttlMs) return snapshot.read;
    const read = registry.listPartners().then((list) => ({
      at,
      list,
      byId: new Map(list.map((p) => [p.id, p])),
      byIdentifier: new Map(list.map((p) => [identifierKey(p.identifierType, p.identifier, p.unit), p])),
    }));
    const entry = { at, read };
    snapshot = entry;
    // A failed read is not kept: the next request tries the database again.
    read.catch(() => {
      if (snapshot === entry) snapshot = undefined;
    });
    return read;
  }

  function invalidate(): void {
    generation++;
    snapshot = undefined;
    people = new Map();
  }

  /** Runs a change and drops what was read, whether the change went through or not. */
  async function changing<T>(change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      invalidate();
    }
  }

  return {
    addPartner: (partner, actor) => changing(() => registry.addPartner(partner, actor)),
    updatePartner: (id, changes, actor) => changing(() => registry.updatePartner(id, changes, actor)),
    addPerson: (person, actor) => changing(() => registry.addPerson(person, actor)),
    async getPartner(id) {
      return (await partners()).byId.get(id);
    },
    async findPartner(identifierType, identifier, unit) {
      return (await partners()).byIdentifier.get(identifierKey(identifierType, identifier, unit));
    },
    async listPartners() {
      return [...(await partners()).list];
    },
    async partnersOfKinds(kinds) {
      return (await partners()).list.filter((p) => kinds.includes(p.kind));
    },
    getPerson(id) {
      const at = now();
      const known = people.get(id);
      if (known !== undefined && at - known.at < ttlMs) return known.read;
      const read = registry.getPerson(id);
      const entry = { at, read };
      const seen = generation;
      // Bounded: a stale or failed read is dropped; the map never outgrows the registered people by much.
      if (people.size >= 10_000) people = new Map();
      people.set(id, entry);
      read.catch(() => {
        if (seen === generation && people.get(id) === entry) people.delete(id);
      });
      return read;
    },
    listPeople: () => registry.listPeople(),
    invalidate,
  };
}
