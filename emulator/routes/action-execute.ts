/**
 * Running a Data Action: `POST /api/v2/integrations/actions/{actionId}/execute` (the Platform API's
 * `postIntegrationsActionExecute`), against a fake downstream system whose latency and failure rate a test sets, and
 * within the org's Data Action limits, as Genesys enforces them (namespace `dataactions` of the limits store):
 *
 * | key                                  | default | what the emulator does                                                  |
 * | ------------------------------------ | ------- | ----------------------------------------------------------------------- |
 * | `actions.concurrent.executions.max`  | 50      | an execution that would exceed it is refused at once: 429               |
 * | `requests.volume.max`                | 2500    | executions started in the last minute; one more is refused: 429         |
 *
 * Sources of the model: the defaults are the seeded limits (limits-data.ts; Genesys blueprint
 * design-architect-flow-data-actions-for-resiliency). An execution holds one concurrency slot until its downstream
 * answers or the action's own timeout (`config.timeoutSeconds`, 1–60; 60 when the action sets none: Genesys Resource
 * Center and the product team's announcement "Data Action timeout support releasing this week") ends it, whichever
 * comes first; a client that stops waiting earlier (an Architect step timeout) does not free the slot, as that
 * announcement says of flows before per-action timeouts. The answers: 200 with `{}` (the downstream's reply is not
 * modelled, so every output is empty), 502 when the downstream fails, 408 when the action's timeout ends it. The exact
 * status and error code Genesys uses for a refused or timed-out execution is not documented (help's Data Actions
 * performance view counts "Concurrency Rate Limit Errors" and "Volume Rate Limit Errors"); these are the emulator's.
 *
 * The fake downstream (admin, never faulted or authenticated):
 * - `GET|PUT|DELETE /__emulator/dataactions/downstream`: `{ latencyMs, jitterMs, failureRate, timeScale }`; `timeScale`
 *   (model seconds per real second, default 1) shortens the actions' timeouts and the volume window for rehearsals
 *   that run faster than real time.
 * - `GET /__emulator/dataactions/executions`: counts (started, succeeded, failed, timed out, refused for concurrency
 *   and for volume), executions in flight and the peak since the last `DELETE` (which resets them).
 */
import type { FastifyInstance } from "fastify";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { GenesysError } from "../errors";
import { seededRandom } from "../faults";
import { SEED_NAMESPACES } from "../limits-data";
import type { EmulatorStore } from "../store";
import { parseRequest } from "../validation";
import { idParams } from "./collection";
import { ACTIONS } from "./integrations";

export const DATA_ACTION_LIMITS_NAMESPACE = "dataactions";
export const DATA_ACTION_LIMIT_KEYS = {
  concurrent: "actions.concurrent.executions.max",
  perMinute: "requests.volume.max",
} as const;

/** The execution timeout of an action that sets none: Genesys's default (and maximum), 60 s. */
export const ACTION_DEFAULT_TIMEOUT_SECONDS = 60;

/** How the fake downstream system behaves. */
export interface Downstream {
  /** How long the downstream takes to answer, in real milliseconds. */
  readonly latencyMs: number;
  /** Uniform jitter added to the latency, 0 to this many real milliseconds. */
  readonly jitterMs: number;
  /** Fraction (0..1) of answers that are failures (HTTP 500 from the downstream). */
  readonly failureRate: number;
  /** Model seconds per real second: the actions' timeouts and the volume minute run this much faster. */
  readonly timeScale: number;
}

const DEFAULT_DOWNSTREAM: Downstream = { latencyMs: 50, jitterMs: 0, failureRate: 0, timeScale: 1 };

const downstreamBody = z.strictObject({
  latencyMs: z.number().min(0).max(600_000).optional(),
  jitterMs: z.number().min(0).max(600_000).optional(),
  failureRate: z.number().min(0).max(1).optional(),
  timeScale: z.number().min(0.001).max(10_000).optional(),
});

/** What the executions did since the emulator started or the counts were last reset. */
export interface ExecutionCounts {
  started: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  refusedConcurrency: number;
  refusedVolume: number;
  inFlight: number;
  peakInFlight: number;
}

const zeroCounts = (inFlight = 0): ExecutionCounts => ({
  started: 0,
  succeeded: 0,
  failed: 0,
  timedOut: 0,
  refusedConcurrency: 0,
  refusedVolume: 0,
  inFlight,
  peakInFlight: inFlight,
});

const seeded = Object.fromEntries(
  (SEED_NAMESPACES.find((namespace) => namespace.name === DATA_ACTION_LIMITS_NAMESPACE)?.limits ?? []).map(
    (limit) => [limit.key, limit.defaultValue],
  ),
);

/** The org's Data Action limits: the store's overrides, else the seeded defaults. */
export function dataActionLimits(store: EmulatorStore): { concurrent: number; perMinute: number } {
  const overrides = store.limitOverrides[DATA_ACTION_LIMITS_NAMESPACE] ?? {};
  const value = (key: string, fallback: number) => overrides[key] ?? seeded[key] ?? fallback;
  return {
    concurrent: value(DATA_ACTION_LIMIT_KEYS.concurrent, 50),
    perMinute: value(DATA_ACTION_LIMIT_KEYS.perMinute, 2500),
  };
}

export function registerActionExecuteRoutes(app: FastifyInstance, store: EmulatorStore): void {
  const actions = store.collection(ACTIONS);
  let downstream: Downstream = DEFAULT_DOWNSTREAM;
  let counts = zeroCounts();
  let random = seededRandom(1);
  /** Real start times of the executions of the last volume window. */
  let starts: number[] = [];

  app.get("/__emulator/dataactions/downstream", async () => downstream);
  app.put("/__emulator/dataactions/downstream", async (request) => {
    downstream = { ...downstream, ...parseRequest(downstreamBody, request.body, "body") };
    return downstream;
  });
  app.delete("/__emulator/dataactions/downstream", async () => {
    downstream = DEFAULT_DOWNSTREAM;
    return downstream;
  });
  app.get("/__emulator/dataactions/executions", async () => counts);
  app.delete("/__emulator/dataactions/executions", async () => {
    counts = zeroCounts(counts.inFlight);
    starts = [];
    random = seededRandom(1);
    return counts;
  });

  app.post(`${ACTIONS.basePath}/:id/execute`, async (request, reply) => {
    const action = actions.get(parseRequest(idParams, request.params, "path").id);
    const input = parseRequest(
      z.record(z.string(), z.unknown(), { error: "the body must be a JSON object of the action's inputs" }),
      request.body ?? {},
      "body",
    );
    checkRequiredInputs(action.contract, input);

    const limits = dataActionLimits(store);
    const now = Date.now();
    const windowMs = 60_000 / downstream.timeScale;
    starts = starts.filter((start) => start > now - windowMs);
    if (starts.length >= limits.perMinute) {
      counts.refusedVolume++;
      throw new GenesysError(
        429,
        "The organization reached its limit of {limit} data action executions per minute ({key}).",
        { limit: String(limits.perMinute), key: DATA_ACTION_LIMIT_KEYS.perMinute },
        { headers: { "Retry-After": "1" } },
      );
    }
    if (counts.inFlight >= limits.concurrent) {
      counts.refusedConcurrency++;
      throw new GenesysError(
        429,
        "The organization reached its limit of {limit} concurrent data action executions ({key}).",
        { limit: String(limits.concurrent), key: DATA_ACTION_LIMIT_KEYS.concurrent },
      );
    }

    starts.push(now);
    counts.started++;
    counts.inFlight++;
    counts.peakInFlight = Math.max(counts.peakInFlight, counts.inFlight);
    const model = downstream;
    const latency = model.latencyMs + random() * model.jitterMs;
    const fails = random() < model.failureRate;
    const config = (action.config ?? {}) as { timeoutSeconds?: number };
    const timeoutMs = ((config.timeoutSeconds ?? ACTION_DEFAULT_TIMEOUT_SECONDS) * 1000) / model.timeScale;
    try {
      await sleep(Math.min(latency, timeoutMs));
    } finally {
      counts.inFlight--;
    }
    if (latency >= timeoutMs) {
      counts.timedOut++;
      throw new GenesysError(
        408,
        "The action {id} timed out after {seconds} seconds waiting for the remote endpoint.",
        { id: action.id, seconds: String(config.timeoutSeconds ?? ACTION_DEFAULT_TIMEOUT_SECONDS) },
      );
    }
    if (fails) {
      counts.failed++;
      throw new GenesysError(502, "The remote endpoint of action {id} answered 500.", { id: action.id });
    }
    counts.succeeded++;
    return reply.code(200).send({});
  });
}

/** An input the action's contract requires and the request leaves out is a 400, as Genesys validates inputs. */
function checkRequiredInputs(contract: unknown, input: Record<string, unknown>): void {
  const schema = (contract as { input?: { inputSchema?: { required?: unknown } } } | undefined)?.input
    ?.inputSchema;
  const required = Array.isArray(schema?.required) ? (schema.required as unknown[]).map(String) : [];
  const missing = required.filter((field) => input[field] === undefined);
  if (missing.length > 0) {
    throw new GenesysError(400, "The action's input is missing the required field(s) {fields}.", {
      fields: missing.join(", "),
    });
  }
}
