/**
 * The real plans under fixtures/: `terraform show -json` (and `-no-color`) of saved plans of gc-dev, made by
 * test/e2e/plan-summary.e2e.test.ts with the real Terraform CLI and genesyscloud 1.82.0 provider against the
 * emulator (`CAPTURE_PLANS=1 node scripts/run-e2e.mjs test/e2e/plan-summary` rewrites them). gc-dev was deployed
 * with 3 shards (000–002) before each plan. The `queue-groups-*` plans come from test/e2e/queue-groups.e2e.test.ts
 * the same way.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../cli/plan-summary";
import { parsePlanJson, type PlanJson } from "../../plan-review";

export const FIXTURES = join(__dirname, "fixtures");

/**
 * The six captured plans of gc-dev, and two of an environment of deployments sharing queue groups (made by
 * test/e2e/queue-groups.e2e.test.ts, 9 deployments on 2 queue groups of 5 deployed): growing to 11 deployments on
 * 3 groups (`queue-groups-grow`), and deploymentsPerQueue 5 → 4 at 11 deployments (`queue-groups-regroup`).
 */
export type FixtureName =
  | "no-change"
  | "scale-up"
  | "scale-down"
  | "replace"
  | "utilization"
  | "data-action-timeout"
  | "queue-groups-grow"
  | "queue-groups-regroup";

export const planFile = (name: FixtureName) => join(FIXTURES, `${name}.plan.json`);
export const planTextFile = (name: FixtureName) => join(FIXTURES, `${name}.plan.txt`);

export function realPlan(name: FixtureName): PlanJson {
  return parsePlanJson(readFileSync(planFile(name), "utf8"), name);
}

/** A deep copy of a real plan's raw JSON, to edit into a case Terraform was not run for. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test edits the raw JSON freely
export function rawPlan(name: FixtureName): any {
  return JSON.parse(readFileSync(planFile(name), "utf8"));
}

/** Runs `plan-summary` with `argv`: its exit code and what it wrote. */
export function runPlanSummary(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const code = main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}
