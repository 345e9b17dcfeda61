/**
 * Architect flows, deployed the way `genesyscloud_flow` deploys them:
 * 1. `POST /api/v2/flows/jobs` registers a job and answers `{ id, presignedUrl, headers }`; the URL points at
 *    the emulator itself (`PUT /__uploads/{jobId}`, outside `/api/v2`, unauthenticated like an S3 pre-signed URL).
 * 2. The upload stores the YAML and "runs Archy" at once: the YAML must be an Architect flow (one top-level flow
 *    type key, a `name`, a `startUpRef` that resolves to a state/task/menu, the home division if one is named,
 *    and queues named by `transferToAcd` must exist). Publishing a name that already exists for that flow type
 *    updates that flow (a new version) instead of creating a second one.
 * 3. `GET /api/v2/flows/jobs/{jobId}` reports `Started`, `Success` (with `flow`) or `Failure` (with `messages`
 *    when `expand=messages`).
 * Also `GET /api/v2/flows` (type, name, virtualAgentEnabled, deleted, id filters), `GET|DELETE /api/v2/flows/{id}`
 * and `POST /api/v2/flows/actions/unlock?flow={id}`.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { GenesysError, notFound } from "../errors";
import type { Collection, CollectionSpec, EmulatorStore, EntityFields, StoredEntity } from "../store";
import { parseRequest } from "../validation";
import { registerCollectionRoutes } from "./collection";
import { QUEUES } from "./queues";
import { divisionRef, type Division } from "./refs";

export const FLOWS: CollectionSpec = {
  name: "flows",
  basePath: "/api/v2/flows",
  entityLabel: "flow",
  uniqueNames: false, // unique per flow type, checked on publish
};

/** Top-level keys of Architect YAML and the flow `type` each publishes. */
const FLOW_TYPES: Readonly<Record<string, string>> = {
  bot: "BOT",
  commonModule: "COMMONMODULE",
  digitalBot: "DIGITALBOT",
  inboundCall: "INBOUNDCALL",
  inboundChat: "INBOUNDCHAT",
  inboundEmail: "INBOUNDEMAIL",
  inboundShortMessage: "INBOUNDSHORTMESSAGE",
  inQueueCall: "INQUEUECALL",
  inQueueEmail: "INQUEUEEMAIL",
  inQueueShortMessage: "INQUEUESHORTMESSAGE",
  outboundCall: "OUTBOUNDCALL",
  securedCall: "SECURECALL",
  surveyInvite: "SURVEYINVITE",
  voice: "VOICE",
  voicemail: "VOICEMAIL",
  voiceSurvey: "VOICESURVEY",
  workflow: "WORKFLOW",
  workitem: "WORKITEM",
};

type JobStatus = "Started" | "Success" | "Failure";

interface FlowJob {
  readonly id: string;
  readonly status: JobStatus;
  readonly dateCreated: string;
  readonly flow?: { readonly id: string; readonly name: string };
  readonly messages?: readonly string[];
  /** The uploaded YAML, after the provider's substitutions. */
  readonly content?: string;
}

const jobParams = z.object({ jobId: z.string() });
const jobQuery = z.object({ expand: z.union([z.string(), z.array(z.string())]).optional() });
const unlockQuery = z.object({ flow: z.string().min(1, "the flow id is required") });

/** The record map of deploy jobs, which keeps each upload's YAML. */
const FLOW_JOBS = "flowJobs";

export function registerFlowRoutes(app: FastifyInstance, store: EmulatorStore, home: Division): void {
  const flows = store.collection(FLOWS);
  const jobs = store.records<FlowJob>(FLOW_JOBS);
  const jobOf = (jobId: string): FlowJob => {
    const job = jobs.get(jobId);
    if (!job) throw notFound("Architect job", jobId);
    return job;
  };

  app.post("/api/v2/flows/jobs", async (request) => {
    const id = randomUUID();
    jobs.set(id, { id, status: "Started", dateCreated: new Date().toISOString() });
    const host = request.headers.host ?? "127.0.0.1";
    return {
      id,
      presignedUrl: `${request.protocol}://${host}/__uploads/${id}`,
      headers: { "Content-Type": "application/octet-stream" },
      selfUri: `/api/v2/flows/jobs/${id}`,
    };
  });

  app.get("/api/v2/flows/jobs/:jobId", async (request) => {
    const job = jobOf(parseRequest(jobParams, request.params, "path").jobId);
    const expand = [parseRequest(jobQuery, request.query, "query").expand ?? []].flat();
    return {
      id: job.id,
      status: job.status,
      command: "deploy",
      ...(job.flow ? { flow: { ...job.flow, selfUri: `${FLOWS.basePath}/${job.flow.id}` } } : {}),
      ...(job.messages && expand.includes("messages")
        ? { messages: job.messages.map((text) => ({ type: "error", text, dateTime: job.dateCreated })) }
        : {}),
      selfUri: `/api/v2/flows/jobs/${job.id}`,
    };
  });

  // The pre-signed upload: any content type, the body kept as text.
  void app.register(async (uploads) => {
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
    uploads.put("/__uploads/:jobId", async (request, reply) => {
      const job = jobOf(parseRequest(jobParams, request.params, "path").jobId);
      if (job.status !== "Started") {
        throw new GenesysError(400, "The upload URL of job {id} was already used.", { id: job.id });
      }
      const content = typeof request.body === "string" ? request.body : "";
      const outcome = publish(content, { flows, store, home });
      jobs.set(job.id, {
        ...job,
        content,
        ...(outcome.published
          ? { status: "Success", flow: { id: outcome.flow.id, name: outcome.flow.name } }
          : { status: "Failure", messages: outcome.messages }),
      });
      return reply.code(200).send("");
    });
  });

  registerCollectionRoutes(app, flows, {
    bodySchema: z.looseObject({ name: z.string() }) as z.ZodType<EntityFields>,
    routes: ["list", "get", "delete"],
    listFilter: (flow, query) =>
      matchesAny(query.type, (type) => type.toLowerCase() === String(flow.type).toLowerCase()) &&
      matchesAny(query.id, (id) => id === flow.id) &&
      (query.virtualAgentEnabled === undefined ||
        String(flow.virtualAgentEnabled) === String(query.virtualAgentEnabled)) &&
      query.deleted !== "true",
  });

  app.post("/api/v2/flows/actions/unlock", async (request) => {
    const { flow } = parseRequest(unlockQuery, request.query, "query");
    return flows.get(flow);
  });
}

/** True when the query parameter is absent, or one of its values (repeated or comma-separated) matches. */
function matchesAny(parameter: unknown, matches: (value: string) => boolean): boolean {
  if (parameter === undefined) return true;
  const values = [parameter].flat().flatMap((value) => String(value).split(","));
  return values.some(matches);
}

interface PublishContext {
  readonly flows: Collection;
  readonly store: EmulatorStore;
  readonly home: Division;
}

/** Checks the YAML like Archy would and publishes the flow, or answers Archy-like messages. */
function publish(
  content: string,
  context: PublishContext,
): { published: true; flow: StoredEntity } | { published: false; messages: string[] } {
  const checked = checkFlowYaml(content, context);
  if ("messages" in checked) return { published: false, messages: checked.messages };
  const { flows, home } = context;
  const existing = flows.find(
    (flow) => flow.type === checked.type && flow.name.toLowerCase() === checked.name.toLowerCase(),
  );
  const now = new Date().toISOString();
  const version = existing ? existing.version + 1 : 1;
  const fields: EntityFields = {
    name: checked.name,
    description: checked.description,
    type: checked.type,
    division: divisionRef(home),
    active: true,
    system: false,
    deleted: false,
    virtualAgentEnabled: false,
    publishedVersion: { id: `${version}.0`, name: checked.name },
    checkedInVersion: { id: `${version}.0`, name: checked.name },
    dateCreated: existing?.dateCreated ?? now,
    datePublished: now,
  };
  const flow = existing ? flows.update(existing.id, fields) : flows.create(fields);
  return { published: true, flow };
}

interface CheckedFlow {
  readonly type: string;
  readonly name: string;
  readonly description?: string;
}

function checkFlowYaml(content: string, context: PublishContext): CheckedFlow | { messages: string[] } {
  let document: unknown;
  try {
    document = parseYaml(content);
  } catch (error) {
    return { messages: [`The flow file is not valid YAML: ${(error as Error).message}`] };
  }
  if (!isObject(document) || Object.keys(document).length !== 1) {
    return { messages: ["The flow file must have exactly one top-level key naming the flow type."] };
  }
  const [key] = Object.keys(document);
  const type = FLOW_TYPES[key];
  if (!type) {
    return {
      messages: [`Unknown flow type '${key}'. Expected one of: ${Object.keys(FLOW_TYPES).join(", ")}.`],
    };
  }
  const flow = document[key];
  if (!isObject(flow)) return { messages: [`The '${key}' flow definition must be a mapping.`] };

  const messages: string[] = [];
  const name = typeof flow.name === "string" ? flow.name.trim() : "";
  if (name === "") messages.push(`The '${key}' flow has no name.`);
  if (
    flow.division !== undefined &&
    String(flow.division).toLowerCase() !== context.home.name.toLowerCase()
  ) {
    messages.push(`Unable to find a division named '${String(flow.division)}'.`);
  }
  messages.push(...checkStartUpRef(key, flow));
  messages.push(...checkQueueReferences(flow, context));
  if (messages.length > 0) return { messages: [`Flow publish failed for '${name || key}':`, ...messages] };
  return {
    type,
    name,
    ...(typeof flow.description === "string" ? { description: flow.description } : {}),
  };
}

const CONTAINERS = { states: "state", tasks: "task", menus: "menu" } as const;

function checkStartUpRef(key: string, flow: Record<string, unknown>): string[] {
  const entries = Object.entries(CONTAINERS).flatMap(([container, item]) =>
    (Array.isArray(flow[container]) ? (flow[container] as unknown[]) : []).map((entry) => ({
      container,
      body: isObject(entry) ? entry[item] : undefined,
    })),
  );
  if (entries.length === 0) return [`The '${key}' flow has no states, tasks or menus.`];
  if (typeof flow.startUpRef !== "string") return [`The '${key}' flow has no startUpRef.`];
  const ref = /^(?:\.|\/(\w+))\/(states|tasks|menus)\/(?:state|task|menu)\[(.+)\]$/.exec(flow.startUpRef);
  const resolves =
    ref !== null &&
    (ref[1] === undefined || ref[1] === key) &&
    entries.some(
      (entry) => entry.container === ref[2] && isObject(entry.body) && entry.body.refId === ref[3],
    );
  return resolves ? [] : [`startUpRef '${flow.startUpRef}' does not resolve to a state, task or menu.`];
}

/** Every `transferToAcd` with a literal `targetQueue` must name an existing queue. */
function checkQueueReferences(flow: unknown, context: PublishContext): string[] {
  const queues = context.store.collection(QUEUES);
  const messages: string[] = [];
  forEachTransfer(flow, (transfer) => {
    const queueName = literalQueueName(transfer.targetQueue);
    const found =
      queueName === undefined ||
      queues.find((queue) => queue.name.toLowerCase() === queueName.toLowerCase()) !== undefined;
    if (!found) {
      const action = typeof transfer.name === "string" ? transfer.name : "Transfer to ACD";
      messages.push(`Unable to find a queue named '${queueName}' (action '${action}').`);
    }
  });
  return messages;
}

/**
 * The queues a flow transfers its conversations to, by name, in the order its `transferToAcd` actions name them
 * (literal targets only, each name once), read from the YAML of the flow's latest successful publish. Empty when
 * the flow was not published through this emulator or names no literal queue. A conversation that enters the flow
 * ends up in the first: the flows this project deploys name one queue on every path.
 */
export function flowTargetQueueNames(store: EmulatorStore, flowId: string): string[] {
  let content: string | undefined;
  for (const [, job] of store.records<FlowJob>(FLOW_JOBS).entries()) {
    if (job.status === "Success" && job.flow?.id === flowId && job.content !== undefined)
      content = job.content;
  }
  if (content === undefined) return [];
  let document: unknown;
  try {
    document = parseYaml(content);
  } catch {
    return [];
  }
  const names: string[] = [];
  forEachTransfer(document, (transfer) => {
    const name = literalQueueName(transfer.targetQueue);
    if (name !== undefined && !names.some((known) => known.toLowerCase() === name.toLowerCase()))
      names.push(name);
  });
  return names;
}

/** Calls `visit` with every `transferToAcd` action below `node`, in document order. */
function forEachTransfer(node: unknown, visit: (transfer: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) return node.forEach((item) => forEachTransfer(item, visit));
  if (!isObject(node)) return;
  for (const [field, value] of Object.entries(node)) {
    if (field === "transferToAcd" && isObject(value)) visit(value);
    forEachTransfer(value, visit);
  }
}

function literalQueueName(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (isObject(target) && isObject(target.lit) && typeof target.lit.name === "string") return target.lit.name;
  return undefined; // an expression (exp:) cannot be checked before run time
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
