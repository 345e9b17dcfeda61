import { formatValue } from "./format";

export { formatValue };

/**
 * An input field of the planner, named as in `PlanInput` (nested fields with a dot; `limits.<LimitKey>` for
 * overrides). Front ends map these to their own names, e.g. the CLI shows `headroom` as `--headroom`.
 */
export type PlanField =
  | "targetSessions"
  | "sessionsPerShard"
  | "arrivalsPerMinute"
  | "arrivalsPerShardPerMinute"
  | "headroom"
  | "spares"
  | "maxShards"
  | "deploymentsPerQueue"
  | "shardsPerGroup"
  | "oauthClients"
  | "agents.count"
  | "agents.capacityPerAgent"
  | "dataActions.perSession"
  | "dataActions.p99LatencySeconds"
  | `limits.${string}`;

/** Turns a field into the name a person sees, e.g. `headroom` into `--headroom`. */
export type FieldNamer = (field: PlanField) => string;

/** Names each field as it is spelled in `PlanInput`. */
const NAME_AS_IN_PLAN_INPUT: FieldNamer = (field) => field;

/**
 * Bad input to the planner: one field, the value received and what is allowed.
 * The message reads `headroom must be > 0 and <= 1, got 1.5`; `render` names fields another way.
 */
export class PlanInputError extends Error {
  /** The field at fault. */
  readonly field: PlanField;
  /** The value received (undefined when the field was missing). */
  readonly value: unknown;
  /** What the field allows, e.g. "> 0 and <= 1". */
  readonly allowed: string;
  private readonly describe: (name: FieldNamer) => string;

  /**
   * @param allowed what the field allows; a function when the text names other fields.
   * @param describe the whole message, when `<field> must be <allowed>, got <value>` does not fit.
   */
  constructor(
    field: PlanField,
    value: unknown,
    allowed: string | ((name: FieldNamer) => string),
    describe?: (name: FieldNamer) => string,
  ) {
    const allowedText = (name: FieldNamer) => (typeof allowed === "string" ? allowed : allowed(name));
    const describeWith =
      describe ??
      ((name: FieldNamer) => `${name(field)} must be ${allowedText(name)}, got ${formatValue(value)}`);
    super(describeWith(NAME_AS_IN_PLAN_INPUT));
    this.name = "PlanInputError";
    this.field = field;
    this.value = value;
    this.allowed = allowedText(NAME_AS_IN_PLAN_INPUT);
    this.describe = describeWith;
  }

  /** The message with every field named by `name`, e.g. `--headroom must be > 0 and <= 1, got 1.5`. */
  render(name: FieldNamer): string {
    return this.describe(name);
  }
}
