/**
 * Authorization divisions: the org has one, the home division.
 * - `GET /api/v2/authorization/divisions/home` (data source `genesyscloud_auth_division_home`)
 * - `GET /api/v2/authorization/divisions` (name filter, paging) and `GET .../divisions/{id}`
 * - `POST /api/v2/authorization/divisions/{id}/objects/{objectType}`: moves objects (here: queues) into a
 *   division, as the provider's `util.UpdateObjectDivision` does when `division_id` changes.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { GenesysError, notFound } from "../errors";
import { paginate, type EmulatorStore } from "../store";
import { parseRequest } from "../validation";
import { listQuery } from "./collection";
import { QUEUES } from "./queues";
import { divisionRef, type Division } from "./refs";

const divisionParams = z.object({ divisionId: z.string() });
const objectParams = divisionParams.extend({ objectType: z.string() });
const objectIds = z.array(z.string().min(1)).min(1, "at least one object id is required");

export function registerDivisionRoutes(app: FastifyInstance, store: EmulatorStore, home: Division): void {
  const full = {
    ...divisionRef(home),
    description: "The home division",
    homeDivision: true,
  };
  const find = (id: string) => {
    if (id !== home.id) throw notFound("division", id);
    return full;
  };

  app.get("/api/v2/authorization/divisions/home", async () => full);

  app.get("/api/v2/authorization/divisions", async (request) => {
    const query = parseRequest(listQuery, request.query, "query");
    const matches = query.name === undefined || query.name.toLowerCase() === home.name.toLowerCase();
    return paginate(matches ? [full] : [], query, "/api/v2/authorization/divisions");
  });

  app.get("/api/v2/authorization/divisions/:divisionId", async (request) =>
    find(parseRequest(divisionParams, request.params, "path").divisionId),
  );

  app.post("/api/v2/authorization/divisions/:divisionId/objects/:objectType", async (request, reply) => {
    const { divisionId, objectType } = parseRequest(objectParams, request.params, "path");
    const division = find(divisionId);
    const ids = parseRequest(objectIds, request.body, "body");
    if (objectType !== "QUEUE") {
      throw new GenesysError(400, "The emulator only moves QUEUE objects between divisions, not {type}.", {
        type: objectType,
      });
    }
    const queues = store.collection(QUEUES);
    for (const id of ids) queues.get(id); // 404 before changing anything
    for (const id of ids) {
      const queue = queues.get(id);
      queues.update(id, { ...queue, division: divisionRef(division) });
    }
    return reply.code(204).send();
  });
}
