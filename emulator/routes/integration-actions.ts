/**
 * Data actions (`/api/v2/integrations/actions`), as `genesyscloud_integration_action` uses them for plain
 * (non-function) actions:
 * - `POST` (the integration must exist; `contract.input.inputSchema` and `contract.output.successSchema` must
 *   be JSON objects; `config.timeoutSeconds` 1..60), `GET` list (name, category, integrationId filters);
 * - `GET /{id}`: `contract` only with `expand=contract`, `config` only with `includeConfig=true`;
 * - `PATCH /{id}` with the current `version` (409 otherwise), `DELETE /{id}`;
 * - `GET /{id}/templates/requesttemplate.vm|successtemplate.vm`: the Velocity templates as text.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { GenesysError, notFound } from "../errors";
import type { EmulatorStore, EntityFields, StoredEntity } from "../store";
import { parseRequest } from "../validation";
import { idParams, registerCollectionRoutes } from "./collection";
import { ACTIONS, INTEGRATIONS } from "./integrations";
import { without } from "./refs";

const DEFAULT_REQUEST_TEMPLATE = "${input.rawRequest}";
const DEFAULT_SUCCESS_TEMPLATE = "${rawResult}";

const jsonObject = (what: string) =>
  z.record(z.string(), z.unknown(), { error: `${what} must be a JSON object` });

const actionConfig = z.looseObject({
  timeoutSeconds: z.number().int().min(1).max(60).optional(),
  request: z
    .looseObject({
      requestType: z.enum(["GET", "PUT", "POST", "PATCH", "DELETE"]),
      requestUrlTemplate: z.string().optional(),
      requestTemplate: z.string().optional(),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  response: z
    .looseObject({
      translationMap: z.record(z.string(), z.string()).optional(),
      translationMapDefaults: z.record(z.string(), z.string()).optional(),
      successTemplate: z.string().optional(),
    })
    .optional(),
});

const createBody = z.looseObject({
  name: z.string().trim().min(1, "name is required").max(256),
  category: z.string().trim().min(1, "category is required").max(256),
  integrationId: z.string().min(1, "integrationId is required"),
  secure: z.boolean().optional(),
  contract: z.looseObject({
    input: z.looseObject({ inputSchema: jsonObject("contract.input.inputSchema") }),
    output: z.looseObject({ successSchema: jsonObject("contract.output.successSchema") }),
  }),
  config: actionConfig.optional(),
});

const patchBody = z.looseObject({
  version: z.number().int({ error: "version is required" }),
  name: z.string().trim().min(1).max(256).optional(),
  category: z.string().trim().min(1).max(256).optional(),
  config: actionConfig.optional(),
});

const getQuery = z.object({
  expand: z.union([z.string(), z.array(z.string())]).optional(),
  includeConfig: z.enum(["true", "false"]).optional(),
});
const templateParams = z.object({ id: z.string(), fileName: z.string() });

export function registerIntegrationActionRoutes(app: FastifyInstance, store: EmulatorStore): void {
  const actions = store.collection(ACTIONS);
  const integrations = store.collection(INTEGRATIONS);
  const base = ACTIONS.basePath;

  /** An action as listed: without `contract` and `config`, which need `expand`/`includeConfig`. */
  const summary = (action: StoredEntity) => without(action, "contract", "config");

  registerCollectionRoutes(app, actions, {
    bodySchema: createBody as unknown as z.ZodType<EntityFields>,
    routes: ["list", "create", "delete"],
    complete: (fields) => {
      const integrationId = String(fields.integrationId);
      if (!integrations.has(integrationId)) {
        throw new GenesysError(400, "The integration {id} does not exist.", { id: integrationId });
      }
      return { secure: false, config: {}, ...fields };
    },
    listFilter: (action, query) =>
      (query.category === undefined || action.category === query.category) &&
      (query.integrationId === undefined || action.integrationId === query.integrationId),
    present: summary,
  });

  app.get(`${base}/:id`, async (request) => {
    const action = actions.get(parseRequest(idParams, request.params, "path").id);
    const query = parseRequest(getQuery, request.query, "query");
    const expand = [query.expand ?? []].flat().flatMap((value) => value.split(","));
    return {
      ...summary(action),
      ...(expand.includes("contract") ? { contract: action.contract } : {}),
      // readIntegrationAction dereferences `config` without a nil check, so it is never left out here.
      ...(query.includeConfig === "true" ? { config: action.config ?? {} } : {}),
    };
  });

  app.patch(`${base}/:id`, async (request) => {
    const action = actions.get(parseRequest(idParams, request.params, "path").id);
    const body = parseRequest(patchBody, request.body, "body");
    // The store answers 409 when `body.version` is stale.
    return actions.update(action.id, { ...action, ...body });
  });

  app.get(`${base}/:id/templates/:fileName`, async (request, reply) => {
    const { id, fileName } = parseRequest(templateParams, request.params, "path");
    const config = (actions.get(id).config ?? {}) as {
      request?: { requestTemplate?: string };
      response?: { successTemplate?: string };
    };
    let template: string;
    if (fileName === "requesttemplate.vm") {
      template = config.request?.requestTemplate ?? DEFAULT_REQUEST_TEMPLATE;
    } else if (fileName === "successtemplate.vm") {
      template = config.response?.successTemplate ?? DEFAULT_SUCCESS_TEMPLATE;
    } else {
      throw notFound(`template of action ${id}`, fileName);
    }
    return reply.type("text/plain").send(template);
  });
}
