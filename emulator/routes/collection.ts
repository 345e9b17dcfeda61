/**
 * Generic CRUD routes for a store collection, Genesys style:
 * `GET base` (paging: pageSize, pageNumber, name), `POST base`, `GET|PUT|DELETE base/:id`.
 * A resource supplies the zod schema of its body and, optionally, a hook that fills server-side fields.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Collection, EntityFields, StoredEntity } from "../store";
import { parseRequest } from "../validation";

export interface CollectionRoutesOptions {
  /** Validates a POST or PUT body; must require `name`. */
  readonly bodySchema: z.ZodType<EntityFields>;
  /** Adds server-side fields (dates, defaults) before a create (`existing` undefined) or an update. */
  readonly complete?: (fields: EntityFields, existing: StoredEntity | undefined) => EntityFields;
}

const listQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(500).default(25),
  pageNumber: z.coerce.number().int().min(1).default(1),
  name: z.string().min(1).optional(),
});

const idParams = z.object({ id: z.string() });

export function registerCollectionRoutes(
  app: FastifyInstance,
  collection: Collection,
  options: CollectionRoutesOptions,
): void {
  const base = collection.spec.basePath;
  const complete = options.complete ?? ((fields: EntityFields) => fields);

  app.get(base, async (request) => collection.list(parseRequest(listQuery, request.query, "query")));

  app.post(base, async (request, reply) => {
    const fields = parseRequest(options.bodySchema, request.body, "body");
    reply.code(200);
    return collection.create(complete(fields, undefined));
  });

  app.get(`${base}/:id`, async (request) =>
    collection.get(parseRequest(idParams, request.params, "query").id),
  );

  app.put(`${base}/:id`, async (request) => {
    const { id } = parseRequest(idParams, request.params, "query");
    const existing = collection.get(id);
    const fields = parseRequest(options.bodySchema, request.body, "body");
    return collection.update(id, complete(fields, existing));
  });

  app.delete(`${base}/:id`, async (request, reply) => {
    collection.remove(parseRequest(idParams, request.params, "query").id);
    return reply.code(204).send();
  });
}
