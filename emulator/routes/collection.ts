/**
 * Generic CRUD routes for a store collection, Genesys style:
 * `GET base` (paging: pageSize, pageNumber, name), `POST base`, `GET|PUT|DELETE base/:id`.
 * A resource supplies the zod schema of its body and, optionally, hooks that fill server-side fields, filter
 * listings, shape responses and guard deletes.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Collection, EntityFields, StoredEntity } from "../store";
import { parseRequest } from "../validation";

export type CollectionRoute = "list" | "create" | "get" | "update" | "delete";

export interface CollectionRoutesOptions {
  /** Validates a POST or PUT body; must require `name`. */
  readonly bodySchema: z.ZodType<EntityFields>;
  /** Adds server-side fields (dates, defaults) and checks references before a create (`existing` undefined) or an update. */
  readonly complete?: (fields: EntityFields, existing: StoredEntity | undefined) => EntityFields;
  /** Which routes to register. @default all of them */
  readonly routes?: readonly CollectionRoute[];
  /** Extra listing filter from the raw query (e.g. `type`, `virtualAgentEnabled`). @default - name filter only */
  readonly listFilter?: (entity: StoredEntity, query: Record<string, unknown>) => boolean;
  /** Shapes an entity for a response (computed fields, hidden secrets). @default - the stored entity */
  readonly present?: (entity: StoredEntity) => unknown;
  /** Runs before a delete: throws to refuse it (e.g. 409 while in use) or cleans up related state. */
  readonly beforeRemove?: (entity: StoredEntity) => void;
  /** Status of a successful delete. 200 answers the deleted entity (for SDK methods that parse a body). @default 204 */
  readonly deleteStatus?: 200 | 204;
}

export const listQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(500).default(25),
  pageNumber: z.coerce.number().int().min(1).default(1),
  name: z.string().min(1).optional(),
});

export const idParams = z.object({ id: z.string() });

const ALL_ROUTES: readonly CollectionRoute[] = ["list", "create", "get", "update", "delete"];

export function registerCollectionRoutes(
  app: FastifyInstance,
  collection: Collection,
  options: CollectionRoutesOptions,
): void {
  const base = collection.spec.basePath;
  const complete = options.complete ?? ((fields: EntityFields) => fields);
  const present = options.present ?? ((entity: StoredEntity) => entity);
  const routes = new Set(options.routes ?? ALL_ROUTES);
  const idOf = (params: unknown) => parseRequest(idParams, params, "path").id;

  if (routes.has("list")) {
    app.get(base, async (request) => {
      const raw = (request.query ?? {}) as Record<string, unknown>;
      const where = options.listFilter
        ? (entity: StoredEntity) => options.listFilter!(entity, raw)
        : undefined;
      const listing = collection.list(parseRequest(listQuery, raw, "query"), where);
      return { ...listing, entities: listing.entities.map(present) };
    });
  }

  if (routes.has("create")) {
    app.post(base, async (request, reply) => {
      const fields = parseRequest(options.bodySchema, request.body, "body");
      reply.code(200);
      return present(collection.create(complete(fields, undefined)));
    });
  }

  if (routes.has("get")) {
    app.get(`${base}/:id`, async (request) => present(collection.get(idOf(request.params))));
  }

  if (routes.has("update")) {
    app.put(`${base}/:id`, async (request) => {
      const id = idOf(request.params);
      const existing = collection.get(id);
      const fields = parseRequest(options.bodySchema, request.body, "body");
      return present(collection.update(id, complete(fields, existing)));
    });
  }

  if (routes.has("delete")) {
    app.delete(`${base}/:id`, async (request, reply) => {
      const entity = collection.get(idOf(request.params));
      const answer = options.deleteStatus === 200 ? present(entity) : undefined;
      options.beforeRemove?.(entity);
      collection.remove(entity.id);
      if (answer !== undefined) return reply.code(200).send(answer);
      return reply.code(204).send();
    });
  }
}
