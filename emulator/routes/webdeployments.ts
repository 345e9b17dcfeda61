/**
 * Web messaging deployments, as `genesyscloud_webdeployments_configuration` and
 * `genesyscloud_webdeployments_deployment` use them.
 *
 * Configurations (`/api/v2/webdeployments/configurations`): the entity is the draft; publishing snapshots it as
 * version "1", "2", ... `POST` creates (draft, status Active), `GET /{id}/versions` lists the draft and the
 * published versions, `GET|PUT /{id}/versions/draft`, `POST /{id}/versions/draft/publish`,
 * `GET /{id}/versions/{version}`, `DELETE /{id}` (409 while a deployment uses it).
 *
 * Deployments (`/api/v2/webdeployments/deployments`): generic CRUD; `status` is Active at once;
 * `allowAllDomains` excludes `allowedDomains`; `configuration` must name a published version of an existing
 * configuration and `flow` an existing inbound message flow (400 otherwise).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { GenesysError, notFound } from "../errors";
import {
  paginate,
  type CollectionSpec,
  type EmulatorStore,
  type EntityFields,
  type StoredEntity,
} from "../store";
import { parseRequest } from "../validation";
import { idParams, listQuery, registerCollectionRoutes } from "./collection";
import { FLOWS } from "./flows";
import { timestamps, without } from "./refs";

export const WEB_CONFIGURATIONS: CollectionSpec = {
  name: "webDeploymentConfigurations",
  basePath: "/api/v2/webdeployments/configurations",
  entityLabel: "web deployment configuration",
};

export const WEB_DEPLOYMENTS: CollectionSpec = {
  name: "webDeployments",
  basePath: "/api/v2/webdeployments/deployments",
  entityLabel: "web deployment",
};

/** A published configuration version: the draft's fields when it was published. */
interface PublishedVersion {
  readonly version: string;
  readonly datePublished: string;
  readonly fields: Record<string, unknown>;
}

const configurationBody = z
  .looseObject({
    name: z.string().trim().min(1, "name is required").max(255),
    description: z.string().max(1024).optional(),
    languages: z.array(z.string().min(1)).min(1, "at least one language is required"),
    defaultLanguage: z.string().min(1, "defaultLanguage is required"),
  })
  .refine((body) => body.languages.includes(body.defaultLanguage), {
    message: "defaultLanguage must be one of languages",
    path: ["defaultLanguage"],
  });

const deploymentBody = z
  .looseObject({
    name: z.string().trim().min(1, "name is required").max(255),
    description: z.string().max(1024).optional(),
    allowAllDomains: z.boolean().optional(),
    allowedDomains: z.array(z.string().min(1)).optional(),
    configuration: z.looseObject({ id: z.string().min(1), version: z.string().min(1) }),
    flow: z.looseObject({ id: z.string().min(1) }).optional(),
  })
  .refine((body) => !(body.allowAllDomains && (body.allowedDomains?.length ?? 0) > 0), {
    message: "allowedDomains must be empty when allowAllDomains is true",
    path: ["allowedDomains"],
  });

const versionParams = z.object({ id: z.string(), version: z.string() });
const configurationsQuery = z.object({ showOnlyPublished: z.enum(["true", "false"]).optional() });

export function registerWebDeploymentRoutes(app: FastifyInstance, store: EmulatorStore): void {
  const configurations = store.collection(WEB_CONFIGURATIONS);
  const deployments = store.collection(WEB_DEPLOYMENTS);
  const flows = store.collection(FLOWS);
  const published = store.records<PublishedVersion[]>("webDeploymentConfigurationVersions");
  const base = WEB_CONFIGURATIONS.basePath;
  const versionsOf = (id: string) => published.get(id) ?? [];

  /** A configuration version as Genesys shows it: the draft or a published snapshot. */
  const presentVersion = (configuration: StoredEntity, version?: PublishedVersion) => {
    const fields = version ? version.fields : without(configuration, "version", "selfUri");
    const label = version?.version ?? "DRAFT";
    return {
      ...fields,
      id: configuration.id,
      version: label,
      status: "Active",
      ...(version ? { datePublished: version.datePublished } : {}),
      selfUri: `${base}/${configuration.id}/versions/${label}`,
    };
  };
  const latestOf = (configuration: StoredEntity) => versionsOf(configuration.id).at(-1);

  app.get(base, async (request) => {
    const onlyPublished =
      parseRequest(configurationsQuery, request.query, "query").showOnlyPublished === "true";
    const entities = configurations
      .snapshot()
      .sort((a, b) => a.name.localeCompare(b.name))
      .filter((configuration) => !onlyPublished || latestOf(configuration) !== undefined)
      .map((configuration) =>
        presentVersion(configuration, onlyPublished ? latestOf(configuration) : undefined),
      );
    return { entities, total: entities.length };
  });

  app.post(base, async (request) => {
    const fields = parseRequest(configurationBody, request.body, "body") as EntityFields;
    return presentVersion(configurations.create({ ...fields, ...timestamps(undefined) }));
  });

  app.get(`${base}/:id/versions`, async (request) => {
    const configuration = configurations.get(parseRequest(idParams, request.params, "path").id);
    const entities = [
      presentVersion(configuration),
      ...versionsOf(configuration.id)
        .slice()
        .reverse()
        .map((version) => presentVersion(configuration, version)),
    ];
    return paginate(
      entities,
      parseRequest(listQuery, request.query, "query"),
      `${base}/${configuration.id}/versions`,
    );
  });

  app.get(`${base}/:id/versions/draft`, async (request) =>
    presentVersion(configurations.get(parseRequest(idParams, request.params, "path").id)),
  );

  app.put(`${base}/:id/versions/draft`, async (request) => {
    const existing = configurations.get(parseRequest(idParams, request.params, "path").id);
    const fields = parseRequest(configurationBody, request.body, "body") as EntityFields;
    // The body's version ("DRAFT") is not the entity version.
    const draft = { ...without(fields, "version"), name: fields.name };
    return presentVersion(configurations.update(existing.id, { ...draft, ...timestamps(existing) }));
  });

  app.post(`${base}/:id/versions/draft/publish`, async (request) => {
    const configuration = configurations.get(parseRequest(idParams, request.params, "path").id);
    const versions = versionsOf(configuration.id);
    const version: PublishedVersion = {
      version: String(versions.length + 1),
      datePublished: new Date().toISOString(),
      fields: without(configuration, "version", "selfUri", "id"),
    };
    published.set(configuration.id, [...versions, version]);
    return presentVersion(configuration, version);
  });

  app.get(`${base}/:id/versions/:version`, async (request) => {
    const { id, version } = parseRequest(versionParams, request.params, "path");
    const configuration = configurations.get(id);
    if (version.toUpperCase() === "DRAFT") return presentVersion(configuration);
    const found = versionsOf(id).find((candidate) => candidate.version === version);
    if (!found) throw notFound(`version of web deployment configuration ${id}`, version);
    return presentVersion(configuration, found);
  });

  app.delete(`${base}/:id`, async (request, reply) => {
    const configuration = configurations.get(parseRequest(idParams, request.params, "path").id);
    const user = deployments.find(
      (deployment) => (deployment.configuration as { id: string }).id === configuration.id,
    );
    if (user) {
      throw new GenesysError(
        409,
        "The web deployment configuration {id} is used by the deployment {deployment} ({deploymentId}).",
        { id: configuration.id, deployment: user.name, deploymentId: user.id },
        { code: "general.conflict" },
      );
    }
    configurations.remove(configuration.id);
    published.delete(configuration.id);
    return reply.code(204).send();
  });

  registerCollectionRoutes(app, deployments, {
    bodySchema: deploymentBody as unknown as z.ZodType<EntityFields>,
    complete: (fields, existing) => {
      const reference = fields.configuration as { id: string; version: string };
      if (!configurations.has(reference.id)) {
        throw new GenesysError(400, "The web deployment configuration {id} does not exist.", {
          id: reference.id,
        });
      }
      const configuration = configurations.get(reference.id);
      if (!versionsOf(reference.id).some((version) => version.version === reference.version)) {
        throw new GenesysError(
          400,
          "Version {version} of web deployment configuration {id} is not a published version.",
          { id: reference.id, version: reference.version },
        );
      }
      const flow = fields.flow as { id: string } | undefined;
      if (flow && (!flows.has(flow.id) || flows.get(flow.id).type !== "INBOUNDSHORTMESSAGE")) {
        throw new GenesysError(400, "The flow {id} is not an existing inbound message flow.", {
          id: flow.id,
        });
      }
      return {
        allowAllDomains: false,
        allowedDomains: [],
        ...fields,
        configuration: {
          id: reference.id,
          version: reference.version,
          name: configuration.name,
          selfUri: `${base}/${reference.id}/versions/${reference.version}`,
        },
        ...(flow
          ? { flow: { id: flow.id, name: flows.get(flow.id).name, selfUri: `${FLOWS.basePath}/${flow.id}` } }
          : {}),
        status: "Active",
        ...timestamps(existing),
      };
    },
    present: (deployment) => ({
      ...deployment,
      snippet: `<script type="text/javascript" charset="utf-8">/* messenger snippet of deployment ${deployment.id} */</script>`,
    }),
  });
}
