/** Routing wrap-up codes (`/api/v2/routing/wrapupcodes`), on the generic collection. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { CollectionSpec, EmulatorStore, EntityFields } from "../store";
import { registerCollectionRoutes } from "./collection";
import { divisionRef, timestamps, type Division } from "./refs";

export const WRAPUP_CODES: CollectionSpec = {
  name: "wrapupcodes",
  basePath: "/api/v2/routing/wrapupcodes",
  entityLabel: "wrap-up code",
};

const wrapupCodeBody = z.looseObject({
  name: z.string().trim().min(1, "name is required").max(255),
  description: z.string().max(1024).optional(),
  division: z.looseObject({ id: z.string().min(1) }).optional(),
  version: z.number().int().optional(),
});

export function registerWrapupCodeRoutes(
  app: FastifyInstance,
  store: EmulatorStore,
  homeDivision: Division,
): void {
  registerCollectionRoutes(app, store.collection(WRAPUP_CODES), {
    bodySchema: wrapupCodeBody as z.ZodType<EntityFields>,
    complete: (fields, existing) => ({
      ...fields,
      division: fields.division ?? divisionRef(homeDivision),
      ...timestamps(existing),
    }),
  });
}
