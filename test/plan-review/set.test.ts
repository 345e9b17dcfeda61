/**
 * `plan-summary` of a set of plans, one per stack, reviewed as one change. The fixtures are real plans of single
 * stacks; here two of them stand for two stacks of one environment, labelled by their folders (`<stack>/plan.json`,
 * the CI scripts' layout) or, a plan given alone, by its capacity_plan output.
 */
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT_BAD_INPUT, EXIT_NEEDS_ALLOW, EXIT_OK } from "../../cli/plan-summary";
import { orderPlans, parsePlanJson, planSetTotals, reviewPlan, type StackPlan } from "../../plan-review";
import { scratchDir } from "../scratch";
import { planFile, planTextFile, type FixtureName, runPlanSummary } from "./fixtures";

const run = runPlanSummary;

/** A folder of `<stack>/plan.json` and `plan.txt` made of the fixtures, as plan-stack leaves them. */
function planFolder(stacks: Record<string, FixtureName>): string {
  const dir = scratchDir("plan-set-");
  for (const [stack, fixture] of Object.entries(stacks)) {
    mkdirSync(join(dir, stack));
    copyFileSync(planFile(fixture), join(dir, stack, "plan.json"));
    copyFileSync(planTextFile(fixture), join(dir, stack, "plan.txt"));
  }
  return dir;
}

function stackPlan(stack: string, fixture: FixtureName): StackPlan {
  return { review: reviewPlan(parsePlanJson(readFileSync(planFile(fixture), "utf8")), stack) };
}

describe("plan-summary: a set of plans as one change", () => {
  it("sums the stacks' counts, shards and requests, and orders the base before its groups", () => {
    const plans = [
      stackPlan("gc-big-shards-1", "scale-up"),
      stackPlan("gc-big", "no-change"),
      stackPlan("gc-big-shards-0", "scale-down"),
    ];
    const ordered = orderPlans(plans).map((plan) => plan.review.stack);
    expect(ordered).toEqual(["gc-big", "gc-big-shards-0", "gc-big-shards-1"]);
    const totals = planSetTotals(plans);
    const each = plans.map((plan) => plan.review);
    expect(totals.counts.create).toBe(each.reduce((sum, review) => sum + review.counts.create, 0));
    expect(totals.counts.delete).toBe(6);
    expect(totals.applyRequests).toBe(each.reduce((sum, review) => sum + review.cost.applyRequests, 0));
    expect(totals.added).toEqual([3, 4]);
    expect(totals.removed).toEqual([1, 2]);
    expect(totals.destructive).toBe(6);
    // One client: every request in one budget; a client per stack: the base, then the longest group.
    const [base, group0, group1] = orderPlans(plans).map((plan) => plan.review.cost.applyMinutes);
    expect(totals.applyMinutesClientPerStack).toBeCloseTo(base + Math.max(group0, group1));
    expect(totals.applyMinutesOneClient).toBeGreaterThanOrEqual(totals.applyMinutesClientPerStack - base);
  });

  it("reviews a folder of <stack>/plan.json with totals, a line per stack and each stack's review (exit 0)", () => {
    const dir = planFolder({
      "gc-big": "no-change",
      "gc-big-shards-0": "scale-up",
      "gc-big-shards-1": "no-change",
    });
    const { code, stdout, stderr } = run(dir);
    expect([code, stderr]).toEqual([EXIT_OK, ""]);
    expect(stdout).toContain("## Terraform plans for `gc-big` and its shard groups\n");
    expect(stdout).toContain(
      "**6 to create, 0 to update, 0 to replace, 0 to delete (48 unchanged) in 3 stacks**",
    );
    expect(stdout).toContain("- Shards 003–004 added\n");
    expect(stdout).toContain("- `gc-big`: no changes; ≈ ");
    expect(stdout).toContain(
      "- `gc-big-shards-0`: 6 to create, 0 to update, 0 to replace, 0 to delete; shards 003–004 added; ≈ 34 requests to apply",
    );
    expect(stdout).toContain("with a client per stack (the base, then the groups in parallel)");
    // Each stack's own review follows, in deploy order, with its own plan.txt folded in.
    const heads = [...stdout.matchAll(/^### Terraform plan for `([^`]+)`/gm)].map((match) => match[1]);
    expect(heads).toEqual(["gc-big", "gc-big-shards-0", "gc-big-shards-1"]);
    expect(stdout).not.toContain("[!CAUTION]");
  });

  it("exits 3 when any plan of the set destroys a live object, and 0 with --allow-destructive", () => {
    const dir = planFolder({ "gc-big": "no-change", "gc-big-shards-0": "scale-down" });
    const files = [join(dir, "gc-big", "plan.json"), join(dir, "gc-big-shards-0", "plan.json")];
    const blocked = run(...files, "--format", "text");
    expect(blocked.code).toBe(EXIT_NEEDS_ALLOW);
    expect(blocked.stdout).toContain(
      "BLOCKED: 6 live objects would be destroyed or replaced over the set (each stack's review lists them)",
    );
    expect(blocked.stdout).toContain(
      "  gc-big-shards-0: 0 to create, 0 to update, 0 to replace, 6 to delete; shards 001–002 removed; 6 destroyed or replaced;",
    );
    expect(run(...files, "--allow-destructive").code).toBe(EXIT_OK);
  });

  it("names a plan outside a <stack> folder by its capacity_plan output", () => {
    const { stdout } = run(planFile("no-change"), planFile("scale-up"), "--format", "text");
    expect(stdout).toContain("Terraform plans for gc-dev and its shard groups:");
    expect(stdout).toContain("\n  gc-dev: no changes;");
  });

  it("fails when --stack or --plan-text is given with several plans, with one line (exit 2)", () => {
    const stack = run(planFile("no-change"), planFile("scale-up"), "--stack", "gc-x");
    expect([stack.code, stack.stderr]).toEqual([
      EXIT_BAD_INPUT,
      "plan-summary: --stack is for one plan, got 2\n",
    ]);
    const text = run(planFile("no-change"), planFile("scale-up"), "--plan-text", planTextFile("no-change"));
    expect(text.stderr).toBe("plan-summary: --plan-text is for one plan, got 2\n");
  });

  it("fails when a folder holds no <stack>/plan.json, or a plan of the set is missing", () => {
    const empty = scratchDir("plan-set-empty-");
    expect(run(empty).stderr).toBe(`plan-summary: ${empty}: a folder without any <stack>/plan.json\n`);
    const missing = run(planFile("no-change"), "/nonexistent/plan.json");
    expect([missing.code, missing.stderr]).toEqual([
      EXIT_BAD_INPUT,
      "plan-summary: cannot read /nonexistent/plan.json: no such file\n",
    ]);
  });
});
