/**
 * The emulator's in-memory state: generic entity collections (one per Genesys resource) and the org's limit
 * values, with optional persistence to a JSON file written atomically (temp file + rename).
 *
 * A new resource plugs in by declaring a `CollectionSpec` and registering its routes with
 * `registerCollectionRoutes` (see routes/collection.ts); the store needs no change.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { assertVersion, GenesysError, notFound } from "./errors";

/** What every stored entity carries, like Genesys entities do. */
export interface StoredEntity {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly selfUri: string;
  readonly [field: string]: unknown;
}

/** Describes one resource collection, e.g. routing wrap-up codes. */
export interface CollectionSpec {
  /** Key of the collection in the state file, e.g. "wrapupcodes". */
  readonly name: string;
  /** The API path of the collection, e.g. "/api/v2/routing/wrapupcodes". */
  readonly basePath: string;
  /** How error messages name one entity, e.g. "wrap-up code". */
  readonly entityLabel: string;
  /** Whether names are unique in the org, ignoring case. @default true */
  readonly uniqueNames?: boolean;
  /** The answer to a name clash. @default 400 general.bad.request */
  readonly nameClash?: { readonly status: 400 | 409; readonly code?: string };
}

/** A page of entities in Genesys's `EntityListing` shape. */
export interface EntityListing<T = StoredEntity> {
  readonly entities: readonly T[];
  readonly pageSize: number;
  readonly pageNumber: number;
  readonly total: number;
  readonly pageCount: number;
  readonly firstUri: string;
  readonly selfUri: string;
  readonly lastUri: string;
  readonly nextUri?: string;
  readonly previousUri?: string;
}

export interface ListQuery {
  readonly pageSize: number;
  readonly pageNumber: number;
  /** Case-insensitive name filter; `*` matches any run of characters, otherwise the whole name must match. */
  readonly name?: string;
}

/** Fields a client may set; the store owns `id`, `version` and `selfUri`. */
export type EntityFields = { readonly name: string } & Readonly<Record<string, unknown>>;

const OWNED_FIELDS = ["id", "version", "selfUri"] as const;

/** A collection of named entities with uuid ids, `selfUri`, `version` and case-insensitive unique names. */
export class Collection {
  private readonly entities = new Map<string, StoredEntity>();

  constructor(
    readonly spec: CollectionSpec,
    private readonly onChange: () => void,
  ) {}

  /** One page of the entities matching the name filter and `where`, in name order. */
  list(query: ListQuery, where: (entity: StoredEntity) => boolean = () => true): EntityListing {
    const matches = [...this.entities.values()]
      .filter((entity) => query.name === undefined || nameMatches(entity.name, query.name))
      .filter(where)
      .sort((a, b) => a.name.localeCompare(b.name));
    return paginate(matches, query, this.spec.basePath);
  }

  get(id: string): StoredEntity {
    const entity = this.entities.get(id);
    if (!entity) throw notFound(this.spec.entityLabel, id);
    return entity;
  }

  /** The first entity matching `predicate`, if any. */
  find(predicate: (entity: StoredEntity) => boolean): StoredEntity | undefined {
    return [...this.entities.values()].find(predicate);
  }

  /** Whether an entity with this id exists. */
  has(id: string): boolean {
    return this.entities.has(id);
  }

  /** Creates an entity; `id` is for seeded objects whose ids a test fixes in advance. @default - a new uuid */
  create(fields: EntityFields, id: string = randomUUID()): StoredEntity {
    this.assertNameFree(fields.name);
    if (this.entities.has(id)) {
      throw new GenesysError(400, "A {entity} with id {id} already exists.", {
        entity: this.spec.entityLabel,
        id,
      });
    }
    const entity: StoredEntity = {
      ...withoutOwnedFields(fields),
      id,
      name: fields.name,
      version: 1,
      selfUri: `${this.spec.basePath}/${id}`,
    };
    this.entities.set(id, entity);
    this.onChange();
    return entity;
  }

  /** Replaces the client fields of an entity. A `version` in `fields` must match the stored one (else 409). */
  update(id: string, fields: EntityFields): StoredEntity {
    const current = this.get(id);
    assertVersion(this.spec.entityLabel, fields.version, current.version);
    this.assertNameFree(fields.name, id);
    const updated: StoredEntity = {
      ...withoutOwnedFields(fields),
      id,
      name: fields.name,
      version: current.version + 1,
      selfUri: current.selfUri,
    };
    this.entities.set(id, updated);
    this.onChange();
    return updated;
  }

  remove(id: string): void {
    this.get(id);
    this.entities.delete(id);
    this.onChange();
  }

  snapshot(): StoredEntity[] {
    return [...this.entities.values()];
  }

  /** Replaces the contents with entities read from a state file (no change notification). */
  load(entities: readonly StoredEntity[]): void {
    this.entities.clear();
    for (const entity of entities) this.entities.set(entity.id, entity);
  }

  private assertNameFree(name: string, exceptId?: string): void {
    if (this.spec.uniqueNames === false) return;
    const wanted = name.toLowerCase();
    const clash = [...this.entities.values()].find(
      (entity) => entity.id !== exceptId && entity.name.toLowerCase() === wanted,
    );
    if (clash) {
      const { status, code } = this.spec.nameClash ?? { status: 400 };
      throw new GenesysError(
        status,
        "A {entity} with the name {name} already exists (id {id}).",
        { entity: this.spec.entityLabel, name, id: clash.id },
        { code },
      );
    }
  }
}

/** One page of `items` in Genesys's `EntityListing` shape; the page URIs point at `basePath`. */
export function paginate<T>(
  items: readonly T[],
  page: { readonly pageSize: number; readonly pageNumber: number },
  basePath: string,
): EntityListing<T> {
  const { pageSize, pageNumber } = page;
  const pageCount = Math.ceil(items.length / pageSize);
  const pageUri = (n: number) => `${basePath}?pageSize=${pageSize}&pageNumber=${n}`;
  return {
    entities: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
    pageSize,
    pageNumber,
    total: items.length,
    pageCount,
    firstUri: pageUri(1),
    selfUri: pageUri(pageNumber),
    lastUri: pageUri(Math.max(pageCount, 1)),
    ...(pageNumber < pageCount ? { nextUri: pageUri(pageNumber + 1) } : {}),
    ...(pageNumber > 1 ? { previousUri: pageUri(pageNumber - 1) } : {}),
  };
}

function withoutOwnedFields(fields: EntityFields): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...fields };
  for (const owned of OWNED_FIELDS) delete copy[owned];
  return copy;
}

function nameMatches(name: string, filter: string): boolean {
  const pattern = filter
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`, "i").test(name);
}

/**
 * Persisted JSON values by key, for state that is not a named entity: relations (queue members), org-wide
 * singletons (routing utilization), job records and version histories.
 */
export class RecordMap<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly onChange: () => void) {}

  get(key: string): T | undefined {
    return this.values.get(key);
  }

  set(key: string, value: T): void {
    this.values.set(key, value);
    this.onChange();
  }

  delete(key: string): void {
    if (this.values.delete(key)) this.onChange();
  }

  entries(): [string, T][] {
    return [...this.values.entries()];
  }

  snapshot(): Record<string, T> {
    return Object.fromEntries(this.values);
  }

  /** Replaces the contents with values read from a state file (no change notification). */
  load(values: Record<string, T>): void {
    this.values.clear();
    for (const [key, value] of Object.entries(values)) this.values.set(key, value);
  }
}

/** Org limit values by namespace, then key: `{ dataactions: { "actions.concurrent.executions.max": 20 } }`. */
export type LimitValues = Record<string, Record<string, number>>;

/** The JSON written to the state file. */
export interface StateFile {
  readonly formatVersion: 1;
  readonly collections: Record<string, readonly StoredEntity[]>;
  /** Keyed JSON values by record map name (see `RecordMap`). */
  readonly records: Record<string, Record<string, unknown>>;
  /** The org's limit values that differ from the seeded defaults. */
  readonly limitOverrides: LimitValues;
}

/** All mutable emulator state. */
export class EmulatorStore {
  private readonly collections = new Map<string, Collection>();
  private readonly recordMaps = new Map<string, RecordMap<unknown>>();
  private loaded: StateFile | undefined;
  /** The org's limit values that differ from the defaults (see limits-data.ts). */
  limitOverrides: LimitValues = {};

  /** @param stateFile when set, state is loaded from it (if it exists) and saved to it after every change. */
  constructor(private readonly stateFile?: string) {
    if (stateFile && existsSync(stateFile)) {
      this.loaded = readStateFile(stateFile);
      this.limitOverrides = structuredClone(this.loaded.limitOverrides);
    }
  }

  /** Registers (or returns) the collection for a resource, filled from the state file when there is one. */
  collection(spec: CollectionSpec): Collection {
    const existing = this.collections.get(spec.name);
    if (existing) return existing;
    const created = new Collection(spec, () => this.save());
    created.load(this.loaded?.collections[spec.name] ?? []);
    this.collections.set(spec.name, created);
    return created;
  }

  /** Registers (or returns) the named record map, filled from the state file when there is one. */
  records<T>(name: string): RecordMap<T> {
    const existing = this.recordMaps.get(name);
    if (existing) return existing as RecordMap<T>;
    const created = new RecordMap<T>(() => this.save());
    created.load((this.loaded?.records[name] ?? {}) as Record<string, T>);
    this.recordMaps.set(name, created as RecordMap<unknown>);
    return created;
  }

  /** Drops every override, back to the seeded defaults (then `setLimitOverrides` may apply start-up values). */
  clearLimitOverrides(): void {
    this.limitOverrides = {};
    this.save();
  }

  /** Merges overrides into the current ones, key by key within a namespace. */
  setLimitOverrides(overrides: LimitValues): void {
    for (const [namespace, values] of Object.entries(overrides)) {
      this.limitOverrides[namespace] = { ...this.limitOverrides[namespace], ...values };
    }
    this.save();
  }

  snapshot(): StateFile {
    const collections: Record<string, readonly StoredEntity[]> = {};
    for (const [name, collection] of this.collections) collections[name] = collection.snapshot();
    const records: Record<string, Record<string, unknown>> = {};
    for (const [name, map] of this.recordMaps) records[name] = map.snapshot();
    return {
      formatVersion: 1,
      collections,
      records: structuredClone(records),
      limitOverrides: structuredClone(this.limitOverrides),
    };
  }

  /** Writes the state file atomically: a reader never sees a half-written file. */
  save(): void {
    if (!this.stateFile) return;
    const temporary = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.snapshot(), null, 2)}\n`);
    renameSync(temporary, this.stateFile);
  }
}

const stateFileSchema = z.object({
  formatVersion: z.literal(1),
  collections: z.record(
    z.string(),
    z.array(
      z.looseObject({
        id: z.string().min(1),
        name: z.string(),
        version: z.number().int(),
        selfUri: z.string(),
      }),
    ),
  ),
  records: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  limitOverrides: z.record(z.string(), z.record(z.string(), z.number())).default({}),
});

/**
 * Reads and checks a state file. Every failure is one line naming the file and the first problem, because the
 * command line prints it as the emulator's only output before exiting.
 */
function readStateFile(path: string): StateFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    throw new Error(
      `${path}: not a readable emulator state file (${reason}); delete it or pass another --state-file`,
    );
  }
  const result = stateFileSchema.safeParse(parsed);
  if (!result.success) {
    const [issue] = result.error.issues;
    const where = issue.path.length > 0 ? issue.path.join(".") : "the top level";
    throw new Error(
      `${path}: not an emulator state file (${where}: ${issue.message}); delete it or pass another --state-file`,
    );
  }
  return result.data as StateFile;
}
