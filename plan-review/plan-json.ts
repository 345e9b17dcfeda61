/**
 * The part of `terraform show -json <saved plan>` the review reads (Terraform's JSON output format, "plan
 * representation"), checked with zod so a wrong file fails with one line instead of a crash.
 */
import { z } from "zod";

/** Bad input a person can act on: the message is one line, without the program name. */
export class PlanInputError extends Error {}

const resourceChangeSchema = z.object({
  address: z.string(),
  mode: z.enum(["managed", "data"]),
  type: z.string(),
  name: z.string(),
  /** Set when the change is to a deposed (create_before_destroy leftover) object. */
  deposed: z.string().optional(),
  action_reason: z.string().optional(),
  change: z.object({
    actions: z.array(z.string()).min(1),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    after_unknown: z.unknown().optional(),
    before_sensitive: z.unknown().optional(),
    after_sensitive: z.unknown().optional(),
    replace_paths: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
  }),
});

const priorResourceSchema = z.object({
  address: z.string(),
  mode: z.enum(["managed", "data"]),
  type: z.string(),
});

const planSchema = z.object({
  format_version: z.string(),
  terraform_version: z.string().optional(),
  errored: z.boolean().optional(),
  resource_changes: z.array(resourceChangeSchema).optional(),
  planned_values: z
    .object({ outputs: z.record(z.string(), z.object({ value: z.unknown().optional() })).optional() })
    .optional(),
  prior_state: z
    .object({
      values: z
        .object({
          root_module: z
            .object({
              resources: z.array(priorResourceSchema).optional(),
              child_modules: z.array(z.unknown()).optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

/** One entry of `resource_changes`. */
export type ResourceChange = z.infer<typeof resourceChangeSchema>;
/** A saved plan as `terraform show -json` prints it (the fields the review reads). */
export type PlanJson = z.infer<typeof planSchema>;

const SHOW_HINT = "expected the output of `terraform show -json <saved plan>`";

/** Parses the text of `terraform show -json` of a saved plan; throws `PlanInputError` for anything else. */
export function parsePlanJson(text: string, source = "the plan"): PlanJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PlanInputError(`${source} is not JSON (${(error as Error).message}); ${SHOW_HINT}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new PlanInputError(`${source} is not a JSON object; ${SHOW_HINT}`);
  }
  const record = data as Record<string, unknown>;
  if (!("planned_values" in record) && !("resource_changes" in record) && "values" in record) {
    throw new PlanInputError(`${source} is a state, not a plan; ${SHOW_HINT}`);
  }
  if (!("format_version" in record) || !("planned_values" in record || "resource_changes" in record)) {
    throw new PlanInputError(`${source} is not a Terraform plan; ${SHOW_HINT}`);
  }
  const parsed = planSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlanInputError(
      `${source} is not a Terraform plan: ${issue.path.join(".") || "(root)"}: ${issue.message}; ${SHOW_HINT}`,
    );
  }
  if (parsed.data.errored) {
    throw new PlanInputError(`${source} is an errored plan (terraform plan failed); fix the plan first`);
  }
  return parsed.data;
}

/** Data sources in the plan's prior state (each costs a read when Terraform plans). */
export function priorDataSources(plan: PlanJson): number {
  return (plan.prior_state?.values?.root_module?.resources ?? []).filter((r) => r.mode === "data").length;
}

/**
 * The environment stack's name from its `capacity_plan` output (`gc-<environment>`), or undefined when the plan
 * has no such output.
 */
export function stackFromOutputs(plan: PlanJson): string | undefined {
  const value = plan.planned_values?.outputs?.capacity_plan?.value as { environment?: unknown } | undefined;
  return typeof value?.environment === "string" ? `gc-${value.environment}` : undefined;
}
