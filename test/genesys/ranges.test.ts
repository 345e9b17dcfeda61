/**
 * The environment schema, the constructs and the planner accept the same Genesys ranges and lists: all read them
 * from genesys/. Each case feeds the edges of a range (min - 1, min, max, max + 1, and a fraction where only whole
 * numbers are allowed) or every value of a list (and one that is not in it) to the environment file's field and to
 * the construct's prop, and expects the same answer from both. Writing a bound again in one place makes it fail.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { planShards } from "../../capacity";
import { ENVIRONMENTS_DIR, EnvironmentError, parseEnvironment } from "../../config/environment";
import { AgentUtilization } from "../../constructs/agent-utilization";
import { DataAction, type DataActionProps } from "../../constructs/data-action";
import { MessengerConfiguration, type MessengerFileUpload } from "../../constructs/messaging-deployment";
import { Queue, type QueueProps } from "../../constructs/queue";
import { ConstructPropsError } from "../../constructs/validation";
import {
  ACW_MODES,
  DATA_ACTION_METHODS,
  DATA_ACTION_TIMEOUT_SECONDS,
  MESSENGER_FILE_TYPES,
  MESSENGER_MAX_FILE_SIZE_KB,
  QUEUE_RANGES,
  SKILL_EVALUATION_METHODS,
  UTILIZATION_MAXIMUM_CAPACITY,
  type Range,
} from "../../genesys";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test edits the parsed YAML freely
type RawEnvironment = Record<string, any>;

/** Whether the environment file accepts `edit` of the committed prod.yaml; any problem must name `field`. */
function environmentAccepts(field: string, edit: (env: RawEnvironment) => void): boolean {
  const env: RawEnvironment = parse(readFileSync(join(ENVIRONMENTS_DIR, "prod.yaml"), "utf8"));
  edit(env);
  try {
    parseEnvironment(env, "environments/prod.yaml", "prod");
    return true;
  } catch (e) {
    if (!(e instanceof EnvironmentError)) throw e;
    for (const problem of e.problems) expect(problem).toContain(field);
    return false;
  }
}

/** Whether the construct `create` makes accepts its props; any problem must name `prop`. */
function constructAccepts(prop: string, create: (stack: TerraformStack) => void): boolean {
  try {
    create(new TerraformStack(Testing.app(), "test"));
    return true;
  } catch (e) {
    if (!(e instanceof ConstructPropsError)) throw e;
    for (const problem of e.problems) expect(problem).toContain(prop);
    return false;
  }
}

const ACTION: DataActionProps = {
  name: "Lookup",
  request: { method: "GET", urlTemplate: "https://crm.example.com/customers" },
  contractInput: { type: "object", properties: {} },
  contractOutput: { type: "object", properties: {} },
};

const queue = (props: Partial<QueueProps>) => (stack: TerraformStack) =>
  new Queue(stack, "Queue", { name: "Queue", ...props });
const action = (props: Partial<DataActionProps>) => (stack: TerraformStack) =>
  new DataAction(stack, "Action", { ...ACTION, ...props });
const upload = (fileUpload: MessengerFileUpload) => (stack: TerraformStack) =>
  new MessengerConfiguration(stack, "Messenger", { name: "Messenger", fileUpload });

/** One numeric range, as the environment file and a construct take it. */
interface RangeCase {
  readonly range: Range;
  /** The environment file's field. */
  readonly field: string;
  readonly setField: (env: RawEnvironment, value: number) => void;
  /** The construct's prop. */
  readonly prop: string;
  readonly build: (value: number) => (stack: TerraformStack) => unknown;
  /** Where the environment file is deliberately narrower than Genesys at the low end, and why. */
  readonly environmentMin?: { readonly min: number; readonly why: string };
}

const RANGES: readonly RangeCase[] = [
  {
    range: QUEUE_RANGES.alertingTimeoutSeconds,
    field: "queue.alertingTimeoutSeconds",
    setField: (env, value) => (env.queue.alertingTimeoutSeconds = value),
    prop: "alertingTimeoutSeconds",
    build: (value) => queue({ alertingTimeoutSeconds: value }),
  },
  {
    range: QUEUE_RANGES.serviceLevelPercentage,
    field: "queue.serviceLevelPercentage",
    setField: (env, value) => (env.queue.serviceLevelPercentage = value),
    prop: "serviceLevelPercentage",
    build: (value) => queue({ serviceLevelPercentage: value }),
  },
  {
    range: QUEUE_RANGES.serviceLevelDurationMs,
    field: "queue.serviceLevelDurationMs",
    setField: (env, value) => (env.queue.serviceLevelDurationMs = value),
    prop: "serviceLevelDurationMs",
    build: (value) => queue({ serviceLevelDurationMs: value }),
  },
  {
    range: QUEUE_RANGES.acwTimeoutMs,
    field: "queue.acwTimeoutMs",
    setField: (env, value) => (env.queue.acwTimeoutMs = value),
    prop: "acwTimeoutMs",
    build: (value) => queue({ acwMode: "MANDATORY_TIMEOUT", acwTimeoutMs: value }),
  },
  {
    range: DATA_ACTION_TIMEOUT_SECONDS,
    field: "dataActions[0].timeoutSeconds",
    setField: (env, value) => {
      env.dataActions[0].timeoutSeconds = value;
      delete env.dataActions[0].p99LatencySeconds; // at most the timeout: not what this case is about
    },
    prop: "timeoutSeconds",
    build: (value) => action({ timeoutSeconds: value }),
  },
  {
    range: MESSENGER_MAX_FILE_SIZE_KB,
    field: "messaging.maxFileSizeKb",
    setField: (env, value) => (env.messaging.maxFileSizeKb = value),
    prop: "fileUpload.maxFileSizeKb",
    build: (value) => upload({ fileTypes: ["image/png"], maxFileSizeKb: value }),
  },
  {
    range: UTILIZATION_MAXIMUM_CAPACITY,
    field: "agents.messageCapacity",
    setField: (env, value) => (env.agents.messageCapacity = value),
    prop: "message.maximumCapacity",
    build: (value) => (stack) =>
      new AgentUtilization(stack, "Utilization", { message: { maximumCapacity: value } }),
    environmentMin: { min: 1, why: "an agent with no message capacity answers nothing" },
  },
];

/** The values at the edges of a range: just outside and on each end, and a fraction for whole numbers. */
function edges({ min, max, integer }: Range): number[] {
  const step = integer ? 1 : 0.01;
  const values = [min - step, min, min + step];
  if (max !== undefined) values.push(max - step, max, max + step);
  else values.push(min * 10 + step);
  if (integer) values.push(min + 0.5);
  return values.map((value) => Number(value.toFixed(2)));
}

function within({ min, max, integer }: Range, value: number): boolean {
  return (!integer || Number.isInteger(value)) && value >= min && (max === undefined || value <= max);
}

describe("Genesys ranges: the environment file and the constructs agree", () => {
  it.each(RANGES.map((c) => [c.field, c] as const))("%s", (_field, c) => {
    for (const value of edges(c.range)) {
      const construct = constructAccepts(c.prop, c.build(value));
      const environment = environmentAccepts(c.field, (env) => c.setField(env, value));
      expect({ value, construct }).toEqual({ value, construct: within(c.range, value) });
      const narrower = c.environmentMin !== undefined && value < c.environmentMin.min;
      expect({ value, environment }).toEqual({ value, environment: construct && !narrower });
    }
  });

  it("narrows a Genesys range in the environment file only at the low end, and says why", () => {
    for (const c of RANGES.filter((r) => r.environmentMin)) {
      expect(c.environmentMin!.min).toBeGreaterThan(c.range.min);
      expect(c.environmentMin!.why).not.toBe("");
    }
  });
});

/** One list of Genesys values, as the environment file and a construct take it. */
interface ListCase {
  readonly values: readonly string[];
  readonly field: string;
  readonly setField: (env: RawEnvironment, value: string) => void;
  readonly prop: string;
  readonly build: (value: string) => (stack: TerraformStack) => unknown;
}

const LISTS: readonly ListCase[] = [
  {
    values: ACW_MODES,
    field: "queue.acwMode",
    setField: (env, value) => {
      env.queue.acwMode = value;
      delete env.queue.acwTimeoutMs; // only with the timed modes: not what this case is about
    },
    prop: "acwMode",
    build: (value) => queue({ acwMode: value as QueueProps["acwMode"] }),
  },
  {
    values: SKILL_EVALUATION_METHODS,
    field: "queue.skillEvaluationMethod",
    setField: (env, value) => (env.queue.skillEvaluationMethod = value),
    prop: "skillEvaluationMethod",
    build: (value) => queue({ skillEvaluationMethod: value as QueueProps["skillEvaluationMethod"] }),
  },
  {
    values: DATA_ACTION_METHODS,
    field: "dataActions[0].method",
    setField: (env, value) => (env.dataActions[0].method = value),
    prop: "request.method",
    build: (value) =>
      action({ request: { ...ACTION.request, method: value as DataActionProps["request"]["method"] } }),
  },
  {
    values: MESSENGER_FILE_TYPES,
    field: "messaging.fileUploadTypes[0]",
    setField: (env, value) => (env.messaging.fileUploadTypes = [value]),
    prop: "fileUpload.fileTypes[0]",
    build: (value) => upload({ fileTypes: [value as MessengerFileUpload["fileTypes"][number]] }),
  },
];

describe("Genesys lists: the environment file and the constructs agree", () => {
  it.each(LISTS.map((c) => [c.field, c] as const))("%s", (_field, c) => {
    for (const value of [...c.values, "NOT-A-GENESYS-VALUE"]) {
      const construct = constructAccepts(c.prop, c.build(value));
      const environment = environmentAccepts(c.field, (env) => c.setField(env, value));
      expect({ value, construct, environment }).toEqual({
        value,
        construct: c.values.includes(value),
        environment: c.values.includes(value),
      });
    }
  });
});

describe("Genesys ranges: the planner takes the same bounds", () => {
  const plan =
    (agents: { count: number; capacityPerAgent: number }, p99LatencySeconds = 1) =>
    () =>
      planShards({
        targetSessions: 100,
        arrivalsPerMinute: 10,
        agents,
        dataActions: { perSession: 1, p99LatencySeconds },
      });

  it("lets a Data Action's p99 latency reach the longest timeout, and no further", () => {
    const longest = DATA_ACTION_TIMEOUT_SECONDS.max;
    expect(plan({ count: 10, capacityPerAgent: 10 }, longest)).not.toThrow();
    expect(plan({ count: 10, capacityPerAgent: 10 }, longest + 0.5)).toThrow(
      `dataActions.p99LatencySeconds must be > 0 and <= ${longest}`,
    );
  });

  it("takes message capacity per agent up to the utilization maximum, as the environment file does", () => {
    const most = UTILIZATION_MAXIMUM_CAPACITY.max;
    expect(plan({ count: 10, capacityPerAgent: most })).not.toThrow();
    expect(plan({ count: 10, capacityPerAgent: most + 1 })).toThrow(
      `agents.capacityPerAgent must be an integer from 1 to ${most}`,
    );
  });
});
