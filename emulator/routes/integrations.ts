/**
 * Integrations and their credentials, as `genesyscloud_integration` and `genesyscloud_integration_credential` use
 * them (data actions live in routes/integration-actions.ts):
 * - `POST /api/v2/integrations` (`integrationType.id` must be a known type), `GET` list and `/{id}`,
 *   `PATCH /{id}` (`intendedState`), `DELETE /{id}` (answers the deleted integration, removes its actions);
 * - `GET|PUT /api/v2/integrations/{id}/config/current`: PUT must send the current `version` (409 otherwise)
 *   and may only reference existing credentials;
 * - `/api/v2/integrations/credentials`: CRUD; the secret `credentialFields` are never answered back.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { assertVersion, GenesysError } from "../errors";
import type { CollectionSpec, EmulatorStore, EntityFields, StoredEntity } from "../store";
import { parseRequest } from "../validation";
import { idParams, registerCollectionRoutes } from "./collection";
import { timestamps, without } from "./refs";

export const INTEGRATIONS: CollectionSpec = {
  name: "integrations",
  basePath: "/api/v2/integrations",
  entityLabel: "integration",
  uniqueNames: false,
};

export const ACTIONS: CollectionSpec = {
  name: "integrationActions",
  basePath: "/api/v2/integrations/actions",
  entityLabel: "action",
  uniqueNames: false,
};

export const CREDENTIALS: CollectionSpec = {
  name: "integrationCredentials",
  basePath: "/api/v2/integrations/credentials",
  entityLabel: "credential",
  uniqueNames: false,
};

/** Integration types the emulator knows, with the name a new integration gets. */
const INTEGRATION_TYPES: Readonly<Record<string, string>> = {
  "purecloud-data-actions": "Genesys Cloud Data Actions",
  "custom-rest-actions": "Web Services Data Actions",
  "custom-smtp-server": "Custom SMTP Server",
  "embedded-client-app": "Client Application",
  "function-data-actions": "Function Data Actions",
  "imap-server": "IMAP Server",
  "premium-app-example": "Premium App",
  "salesforce-datadip": "Salesforce Data Actions",
  "zendesk-datadip": "Zendesk Data Actions",
};

/** Credential types and the fields each requires. */
const CREDENTIAL_TYPES: Readonly<Record<string, readonly string[]>> = {
  basicAuth: ["userName", "password"],
  pureCloudOAuthClient: ["clientId", "clientSecret"],
  userDefined: [],
  userDefinedOAuth: [],
};

/** The `config/current` of one integration (state key: the integration id). */
interface IntegrationConfig {
  readonly name: string;
  readonly version: number;
  readonly notes: string;
  readonly properties: Record<string, unknown>;
  readonly advanced: Record<string, unknown>;
  readonly credentials: Record<string, { id: string }>;
}

const createBody = z.looseObject({
  integrationType: z.looseObject({ id: z.string().min(1, "integrationType.id is required") }),
});
const patchBody = z.looseObject({ intendedState: z.enum(["ENABLED", "DISABLED"]) });
const configBody = z.looseObject({
  name: z.string().trim().min(1, "name is required"),
  version: z.number().int(),
  notes: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  advanced: z.record(z.string(), z.unknown()).optional(),
  credentials: z.record(z.string(), z.looseObject({ id: z.string().min(1) })).optional(),
});
const credentialBody = z.looseObject({
  name: z.string().max(256).optional(),
  type: z.looseObject({ name: z.string().min(1, "type.name is required") }),
  credentialFields: z.record(z.string(), z.string()).optional(),
});

export function registerIntegrationRoutes(app: FastifyInstance, store: EmulatorStore): void {
  const integrations = store.collection(INTEGRATIONS);
  const credentials = store.collection(CREDENTIALS);
  const configs = store.records<IntegrationConfig>("integrationConfigs");
  const base = INTEGRATIONS.basePath;
  const configOf = (integration: StoredEntity) => {
    const config = configs.get(integration.id);
    if (!config) throw new Error(`integration ${integration.id} has no config`);
    return config;
  };
  const presentConfig = (integration: StoredEntity) => {
    const config = configOf(integration);
    const refs = Object.fromEntries(
      Object.entries(config.credentials).map(([key, ref]) => [key, presentCredentialRef(ref.id)]),
    );
    return {
      id: integration.id,
      ...config,
      credentials: refs,
      selfUri: `${base}/${integration.id}/config/current`,
    };
  };
  const presentCredentialRef = (id: string) => {
    const credential = credentials.has(id) ? credentials.get(id) : undefined;
    return {
      id,
      ...(credential ? { name: credential.name, type: credential.type } : {}),
      selfUri: `${CREDENTIALS.basePath}/${id}`,
    };
  };

  registerCollectionRoutes(app, credentials, {
    bodySchema: credentialBody.transform((body) => ({
      ...body,
      name: body.name ?? "",
    })) as unknown as z.ZodType<EntityFields>,
    complete: (fields, existing) => {
      const typeName = (fields.type as { name: string }).name;
      const required = CREDENTIAL_TYPES[typeName];
      if (!required) {
        throw new GenesysError(400, "Unknown credential type {type}; the emulator knows {known}.", {
          type: typeName,
          known: Object.keys(CREDENTIAL_TYPES).join(", "),
        });
      }
      const values = (fields.credentialFields ?? {}) as Record<string, string>;
      const missing = required.filter((field) => !values[field]);
      if (missing.length > 0) {
        throw new GenesysError(400, "A {type} credential requires the fields {fields}.", {
          type: typeName,
          fields: missing.join(", "),
        });
      }
      return { ...fields, type: { name: typeName }, credentialFields: values, ...timestamps(existing) };
    },
    present: (credential) => ({
      ...without(credential, "credentialFields", "dateCreated", "dateModified"),
      createdDate: credential.dateCreated,
      modifiedDate: credential.dateModified,
    }),
  });

  app.post(base, async (request) => {
    const { integrationType } = parseRequest(createBody, request.body, "body");
    const typeName = INTEGRATION_TYPES[integrationType.id];
    if (!typeName) {
      throw new GenesysError(400, "Unknown integration type {type}; the emulator knows {known}.", {
        type: integrationType.id,
        known: Object.keys(INTEGRATION_TYPES).join(", "),
      });
    }
    const integration = integrations.create({
      name: typeName,
      integrationType: {
        id: integrationType.id,
        name: typeName,
        selfUri: `/api/v2/integrations/types/${integrationType.id}`,
      },
      notes: "",
      intendedState: "DISABLED",
      reportedState: { code: "DISABLED" },
      ...timestamps(undefined),
    });
    configs.set(integration.id, {
      name: typeName,
      version: 1,
      notes: "",
      properties: {},
      advanced: {},
      credentials: {},
    });
    return present(integration);
  });

  const present = (integration: StoredEntity) => ({
    ...integration,
    config: {
      current: { id: integration.id, name: integration.name, version: configOf(integration).version },
    },
  });

  registerCollectionRoutes(app, integrations, {
    bodySchema: createBody as unknown as z.ZodType<EntityFields>,
    routes: ["list", "get", "delete"],
    present,
    deleteStatus: 200,
    beforeRemove: (integration) => {
      configs.delete(integration.id);
      removeActionsOf(store, integration.id);
    },
  });

  app.patch(`${base}/:id`, async (request) => {
    const integration = integrations.get(parseRequest(idParams, request.params, "path").id);
    const { intendedState } = parseRequest(patchBody, request.body, "body");
    return present(
      integrations.update(integration.id, {
        ...integration,
        intendedState,
        reportedState: { code: intendedState },
        ...timestamps(integration),
      }),
    );
  });

  app.get(`${base}/:id/config/current`, async (request) =>
    presentConfig(integrations.get(parseRequest(idParams, request.params, "path").id)),
  );

  app.put(`${base}/:id/config/current`, async (request) => {
    const integration = integrations.get(parseRequest(idParams, request.params, "path").id);
    const body = parseRequest(configBody, request.body, "body");
    const current = configOf(integration);
    assertVersion("integration configuration", body.version, current.version);
    const refs = body.credentials ?? {};
    for (const [key, ref] of Object.entries(refs)) {
      if (!credentials.has(ref.id)) {
        throw new GenesysError(400, "The credential {id} of {key} does not exist.", { id: ref.id, key });
      }
    }
    configs.set(integration.id, {
      name: body.name,
      version: current.version + 1,
      notes: body.notes ?? "",
      properties: body.properties ?? {},
      advanced: body.advanced ?? {},
      credentials: Object.fromEntries(Object.entries(refs).map(([key, ref]) => [key, { id: ref.id }])),
    });
    integrations.update(integration.id, { ...integration, name: body.name, ...timestamps(integration) });
    return presentConfig(integrations.get(integration.id));
  });
}

/** Deleting an integration deletes its data actions, as Genesys does. */
function removeActionsOf(store: EmulatorStore, integrationId: string): void {
  const actions = store.collection(ACTIONS);
  for (const action of actions.snapshot()) {
    if (action.integrationId === integrationId) actions.remove(action.id);
  }
}
